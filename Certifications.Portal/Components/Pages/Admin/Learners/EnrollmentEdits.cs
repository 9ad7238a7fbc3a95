using Certifications.Core.Enrollment;

namespace Certifications.Portal.Components.Pages.Admin.Learners;

/// <summary>The "+" and "-" an admin pressed on a learner's enrolment page, held until SAVE.</summary>
public sealed class EnrollmentEdits
{
    private readonly HashSet<int> adding = [];
    private readonly HashSet<int> removing = [];

    public IReadOnlyCollection<int> Adding => adding;

    public IReadOnlyCollection<int> Removing => removing;

    public int Count => adding.Count + removing.Count;

    public bool IsIndividualAfterSave(EnrollmentRow row) =>
        (row.IsIndividual && !removing.Contains(row.CertificationId)) || adding.Contains(row.CertificationId);

    public bool IsPending(EnrollmentRow row) => adding.Contains(row.CertificationId) || removing.Contains(row.CertificationId);

    /// <summary>Pressing again undoes: a "+" then "-" on the same row leaves nothing to save.</summary>
    public void Toggle(EnrollmentRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var id = row.CertificationId;
        if (row.IsIndividual)
        {
            if (!removing.Remove(id))
            {
                removing.Add(id);
            }
        }
        else if (!adding.Remove(id))
        {
            adding.Add(id);
        }
    }

    public void Clear()
    {
        adding.Clear();
        removing.Clear();
    }
}
