using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;

namespace Certifications.Core.Demo;

/// <summary>
/// The demo data set, built in memory before anything touches the database so that it can be inserted one table
/// at a time. Entities refer to each other through navigations: keys are the database's to give.
/// </summary>
internal sealed class DemoData
{
    public List<Course> Courses { get; } = [];
    public List<Group> Groups { get; } = [];
    public List<Learner> Learners { get; } = [];
    public List<GroupMember> Memberships { get; } = [];
    public List<StepResult> Results { get; } = [];
    public List<Certification> Certifications { get; } = [];
    public List<Assignment> Assignments { get; } = [];
}
