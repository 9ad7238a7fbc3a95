using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Progress;
using Certifications.Core.Time;

namespace Certifications.Tests.Core.Demo;

/// <summary>
/// A deliberately plain reading of SPEC's progress and renewal rules, only to tell which status the demo results
/// give each assignment. It is not the product's evaluator: the seeder's promise is that whatever evaluates them by
/// those rules finds every status, and this checks that promise independently of the seeder's own bookkeeping.
/// </summary>
internal sealed class SpecReading(OrganisationCalendar calendar, DateTime now)
{
    public AssignmentStatus StatusOf(Certification certification, Assignment assignment, IReadOnlyList<StepResult> learnerResults)
    {
        var gradedSteps = certification.Courses.ToDictionary(cc => cc.CourseId, cc => cc.Course!.Steps.Where(s => s.IsGraded).Select(s => s.Id).ToHashSet());
        var stepCourse = gradedSteps.SelectMany(c => c.Value.Select(step => (step, course: c.Key))).ToDictionary(x => x.step, x => x.course);
        var results = learnerResults.Where(r => stepCourse.ContainsKey(r.StepId) && r.CompletedAt <= now).OrderBy(r => r.CompletedAt).ToList();

        DateTime? CompletedFrom(DateTime from)
        {
            var best = new Dictionary<int, decimal>();
            foreach (var result in results.Where(r => r.CompletedAt >= from))
            {
                best[result.StepId] = Math.Max(best.GetValueOrDefault(result.StepId), result.Score);
                var satisfied = gradedSteps.All(course => course.Value.All(best.ContainsKey)
                    && course.Value.Average(step => best[step]) >= certification.MinimumPassingGrade);
                if (satisfied)
                {
                    return result.CompletedAt;
                }
            }

            return null;
        }

        var effectiveStart = calendar.StartOfDay(certification.EffectiveFrom);
        var windowStart = (assignment.AssignedAt > effectiveStart ? assignment.AssignedAt : effectiveStart).AddDays(-assignment.GraceDays);
        var completed = CompletedFrom(windowStart);
        if (assignment.WithdrawnAt is { } withdrawn)
        {
            return completed < withdrawn ? AssignmentStatus.Completed : AssignmentStatus.Withdrawn;
        }

        if (now < effectiveStart)
        {
            return AssignmentStatus.Scheduled;
        }

        var started = results.Exists(r => r.CompletedAt >= windowStart) ? AssignmentStatus.InProgress : AssignmentStatus.NotStarted;
        if (completed is not { } chainStart)
        {
            return certification.DueDate is { } due && now >= calendar.EndOfDay(due) ? AssignmentStatus.Overdue : started;
        }

        if (!certification.RenewalRequired)
        {
            return AssignmentStatus.Completed;
        }

        var months = certification.RenewalPeriodMonths!.Value;
        var inChain = 1;
        var expiry = chainStart.AddMonths(months);
        while (CompletedFrom(expiry.AddDays(-certification.RenewalWindowDays)) is { } renewed)
        {
            if (renewed < expiry && certification.RenewalAnchor == RenewalAnchor.PreviousExpiry)
            {
                inChain++;
                expiry = chainStart.AddMonths(months * inChain);
            }
            else
            {
                chainStart = renewed;
                inChain = 1;
                expiry = renewed.AddMonths(months);
            }
        }

        return now >= expiry ? AssignmentStatus.RenewalDue
            : now >= expiry.AddDays(-certification.RenewalWindowDays) ? AssignmentStatus.ExpiringSoon
            : AssignmentStatus.Certified;
    }
}
