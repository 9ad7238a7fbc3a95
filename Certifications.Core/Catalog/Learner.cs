namespace Certifications.Core.Catalog;

public sealed class Learner
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string Email { get; set; }

    /// <summary>Upper-cased email: the unique key, so that addresses differing only in case are one learner.</summary>
    public string NormalizedEmail { get; set; } = "";
    public int? ManagerId { get; set; }
    public Learner? Manager { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();
    public List<GroupMember> Groups { get; set; } = [];
}
