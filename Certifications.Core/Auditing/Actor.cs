namespace Certifications.Core.Auditing;

/// <summary>Who is acting: named in the audit trail of every change.</summary>
public sealed record Actor(string Name)
{
    public static Actor System { get; } = new("system");
}
