using Certifications.Core.Certifications;

namespace Certifications.Core.Renewals;

/// <summary>How a renewing certification is renewed: every <paramref name="PeriodMonths"/> months (1, 3, 6 or 12), with
/// replays counting from <paramref name="WindowDays"/> days before expiry.</summary>
public sealed record RenewalPolicy(int PeriodMonths, int WindowDays, RenewalAnchor Anchor);

/// <summary>Where one completion sits in its renewal chain, and when it expires.</summary>
public sealed record ExpiryPlacement(DateTime ChainStart, int ChainIndex, DateTime ExpiresAt);
