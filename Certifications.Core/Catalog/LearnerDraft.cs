using System.Net.Mail;
using FluentValidation;

namespace Certifications.Core.Catalog;

/// <summary>What the learner forms edit: name, email, manager and groups. The service validates it again before saving.</summary>
public sealed class LearnerDraft
{
    /// <summary>Null for a learner not saved yet.</summary>
    public int? Id { get; set; }

    /// <summary>The version the editor started from; a save from an older version is refused.</summary>
    public Guid? Version { get; set; }

    public string Name { get; set; } = "";
    public string Email { get; set; } = "";
    public int? ManagerId { get; set; }
    public List<int> GroupIds { get; set; } = [];

    public static string NormalizeEmail(string email) => email.Trim().ToUpperInvariant();
}

/// <summary>A learner in the reporting line, as the rules and the messages name them.</summary>
public sealed record ReportingLink(int Id, string Name);

/// <summary>The facts about the stored catalog that a learner's rules need, read by the service before it saves.</summary>
/// <param name="EmailInUse">Another learner already has this email, compared without case or surrounding spaces.</param>
/// <param name="ManagerChain">The chosen manager, then their manager, and so on up the reporting line (empty without a manager).</param>
/// <param name="ManagerExists">The chosen manager is a learner of the catalog.</param>
/// <param name="MissingGroups">Ids of chosen groups that do not exist.</param>
public sealed record LearnerFacts(bool EmailInUse, IReadOnlyList<ReportingLink> ManagerChain, bool ManagerExists, IReadOnlyList<int> MissingGroups)
{
    public static LearnerFacts None { get; } = new(false, [], true, []);
}

/// <summary>
/// Every rule of a learner. The forms run it field by field without the stored facts; the service runs it whole with
/// them before it saves.
/// </summary>
public sealed class LearnerDraftValidator : AbstractValidator<LearnerDraft>
{
    /// <summary>The lengths of the Name and Email columns.</summary>
    public const int NameMaxLength = 200;
    public const int EmailMaxLength = 320;

    public LearnerDraftValidator()
        : this(LearnerFacts.None)
    {
    }

    public LearnerDraftValidator(LearnerFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);

        RuleFor(d => d.Name)
            .Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Enter the learner's name.")
            .Must(name => name is null || name.Trim().Length <= NameMaxLength).WithMessage($"The name can be at most {NameMaxLength} characters long.");

        RuleFor(d => d.Email)
            .Must(email => !string.IsNullOrWhiteSpace(email)).WithMessage("Enter the learner's email address.")
            .DependentRules(() =>
            {
                RuleFor(d => d.Email)
                    .Must(email => email.Trim().Length <= EmailMaxLength).WithMessage($"An email address can be at most {EmailMaxLength} characters long.")
                    .Must(IsEmailAddress).WithMessage("Enter a valid email address, such as name@example.com.")
                    .Must(_ => !facts.EmailInUse).WithMessage(d => $"Another learner already has the email {d.Email.Trim()}.");
            });

        RuleFor(d => d.ManagerId)
            .Must((d, manager) => manager is null || manager != d.Id).WithMessage("A learner cannot be their own manager.")
            .DependentRules(() =>
            {
                RuleFor(d => d.ManagerId)
                    .Must(manager => manager is null || facts.ManagerExists).WithMessage("The chosen manager is no longer in the catalog. Choose another.")
                    .Must((d, manager) => ReportingRules.LoopThrough(d.Id, facts.ManagerChain) is null)
                    .WithMessage(d => ReportingRules.LoopMessage(ReportingRules.LoopThrough(d.Id, facts.ManagerChain)!));
            });

        RuleFor(d => d.GroupIds)
            .Must(ids => ids.Distinct().Count() == ids.Count).WithMessage("A group is chosen twice.")
            .Must(_ => facts.MissingGroups.Count == 0).WithMessage("A group you chose no longer exists. Remove it and search again.");
    }

    /// <summary>One plain address with a dotted domain; display names ("Bob &lt;bob@example.com&gt;") are refused.</summary>
    private static bool IsEmailAddress(string email)
    {
        var trimmed = email.Trim();
        if (!MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed)
        {
            return false;
        }

        var host = address.Host;
        return host.Contains('.', StringComparison.Ordinal) && !host.StartsWith('.') && !host.EndsWith('.');
    }
}

/// <summary>The reporting line has no loops: nobody manages, directly or not, the person they report to.</summary>
public static class ReportingRules
{
    /// <summary>
    /// The part of the chosen manager's line that leads back to the learner (the manager first, the learner's direct
    /// report last), or null when choosing that manager makes no loop.
    /// </summary>
    /// <param name="learnerId">The learner being edited; null for a new learner, who can close no loop.</param>
    /// <param name="managerChain">The chosen manager, then their manager, and so on upward.</param>
    public static IReadOnlyList<ReportingLink>? LoopThrough(int? learnerId, IReadOnlyList<ReportingLink> managerChain)
    {
        ArgumentNullException.ThrowIfNull(managerChain);
        if (learnerId is not { } id)
        {
            return null;
        }

        for (var i = 0; i < managerChain.Count; i++)
        {
            if (managerChain[i].Id == id)
            {
                return [.. managerChain.Take(i)];
            }
        }

        return null;
    }

    public static string LoopMessage(IReadOnlyList<ReportingLink> loop)
    {
        ArgumentNullException.ThrowIfNull(loop);
        if (loop.Count == 0)
        {
            return "A learner cannot be their own manager.";
        }

        var line = string.Join(" \u2192 ", loop.Select(l => l.Name));
        return loop.Count == 1
            ? $"{loop[0].Name} reports to this learner, so cannot be their manager: the reporting line would go round in a loop."
            : $"{loop[0].Name} reports to this learner ({line} \u2192 this learner), so cannot be their manager: the reporting line would go round in a loop.";
    }
}
