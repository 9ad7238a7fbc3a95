using Certifications.Core.Catalog;
using Certifications.Core.Certifications;
using Certifications.Core.Progress;
using Certifications.Core.Security;
using Certifications.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Certifications.Tests.Core.Catalog;

public sealed class CourseAdministrationTests : CatalogTestBed
{
    private static CourseDraft NewCourse(string title, params (string Title, bool Graded)[] steps) => new()
    {
        Title = title,
        IsPublished = true,
        Steps = [.. steps.Select(s => new StepDraft { Title = s.Title, IsGraded = s.Graded })],
    };

    private async Task<CourseDraft> OpenAsync(int id) => (await Courses.GetForEditAsync(Alice, id))!.Draft;

    /// <summary>Forklift (two graded steps) assigned to Warehouse, in a published certification targeting it, with Will in Warehouse.</summary>
    private async Task<(int CourseId, int CertificationId, Learner Will)> CertifiedForkliftAsync()
    {
        var forklift = await TestCatalog.AddCourseAsync(Database, "Forklift", gradedSteps: 2, ungradedSteps: 1);
        var warehouse = await TestCatalog.AddGroupAsync(Database, "Warehouse", forklift);
        var will = await LearnerAsync("Will Warehouse", warehouse.Id);
        var certification = await PublishedCertificationAsync("Forklift Licence", [forklift.Id], warehouse.Id);
        return (forklift.Id, certification, will);
    }

    [Fact]
    public async Task ANewCourseIsSavedWithItsStepsInOrderAndAnAuditEntry()
    {
        var outcome = await Courses.CreateAsync(Alice, NewCourse(" First Aid ", ("Video", false), ("Quiz", true)));

        Assert.True(outcome.Succeeded, outcome.Message);
        var draft = await OpenAsync(outcome.Id!.Value);
        Assert.Equal(("First Aid", true, false), (draft.Title, draft.IsPublished, draft.IsTrigger));
        Assert.Equal([("Video", false), ("Quiz", true)], draft.Steps.Select(s => (s.Title, s.IsGraded)));
        var created = Assert.Single(await AuditAsync("Course", "Created"));
        Assert.Equal(("alice@example.com", outcome.Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)), (created.Actor, created.EntityId));
        Assert.Contains("Video | Quiz (graded)", created.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingOrTakenTitleAndAnEmptyStepTitleAreRefusedOnTheirFieldsAndNothingIsSaved()
    {
        await TestCatalog.AddCourseAsync(Database, "Safety 101");

        var blank = await Courses.CreateAsync(Alice, NewCourse("  ", ("", true)));
        var taken = await Courses.CreateAsync(Alice, NewCourse(" safety 101 "));

        Assert.Equal(FailureKind.Invalid, blank.Failure);
        Assert.Contains(new FieldError("Title", "Enter the course title: admins find the course by it, and learners see it."), blank.Errors);
        Assert.Contains(new FieldError("Steps[0].Title", "Enter the step's title."), blank.Errors);
        Assert.Equal(
            [new FieldError("Title", "Another course is already called \u201csafety 101\u201d. Choose a different title so admins can tell them apart.")],
            taken.Errors);
        await using var db = Database.CreateContext();
        Assert.Equal(1, await db.Courses.CountAsync());
        Assert.Empty(await AuditAsync("Course"));
    }

    [Fact]
    public async Task AnEditRenamesReordersAndGradesStepsAndRecordsWhatChangedFromAndTo()
    {
        var created = await Courses.CreateAsync(Alice, NewCourse("Manual Handling", ("Video", false), ("Quiz", true)));
        var draft = await OpenAsync(created.Id!.Value);
        draft.Title = "Manual Handling 2";
        draft.Steps.Reverse();
        draft.Steps[0].Title = "Lifting quiz";
        draft.Steps[1].IsGraded = true;
        draft.Steps.Add(new StepDraft { Title = "Final assessment", IsGraded = true });

        var updated = await Courses.UpdateAsync(Bruno, draft);

        Assert.True(updated.Succeeded, updated.Message);
        Assert.NotEqual(created.Version, updated.Version);
        var after = await OpenAsync(created.Id.Value);
        Assert.Equal([("Lifting quiz", true), ("Video", true), ("Final assessment", true)], after.Steps.Select(s => (s.Title, s.IsGraded)));
        Assert.Equal(updated.Version, after.Version);
        var audit = Assert.Single(await AuditAsync("Course", "Updated"));
        Assert.Equal("bruno@example.com", audit.Actor);
        Assert.Contains("\"Title\":{\"From\":\"Manual Handling\",\"To\":\"Manual Handling 2\"}", audit.Changes, StringComparison.Ordinal);
        Assert.Contains("\"Steps\":{\"From\":\"Video | Quiz (graded)\",\"To\":\"Lifting quiz (graded) | Video (graded) | Final assessment (graded)\"}", audit.Changes, StringComparison.Ordinal);
        Assert.DoesNotContain("IsPublished", audit.Changes, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheSecondOfTwoAdminsEditingTheSameVersionIsRefusedNamingWhoChangedItAndNothingIsOverwritten()
    {
        var created = await Courses.CreateAsync(Alice, NewCourse("Negotiation", ("Role play", true)));
        var alices = await OpenAsync(created.Id!.Value);
        var brunos = await OpenAsync(created.Id.Value);
        alices.Title = "Negotiation Skills";
        Assert.True((await Courses.UpdateAsync(Alice, alices)).Succeeded);

        brunos.Steps[0].IsGraded = false;
        var refused = await Courses.UpdateAsync(Bruno, brunos);

        Assert.Equal(FailureKind.Conflict, refused.Failure);
        Assert.Equal(
            "This course was changed by someone else: alice@example.com at 09:00 UTC on 2 Mar 2026, after you opened it. Nothing was saved: reload to see their changes, then make yours again.",
            refused.Message);
        var after = await OpenAsync(created.Id.Value);
        Assert.Equal(("Negotiation Skills", true), (after.Title, after.Steps[0].IsGraded));
    }

    [Fact]
    public async Task SavingWithoutChangesKeepsTheVersionAndRecordsNothing()
    {
        var created = await Courses.CreateAsync(Alice, NewCourse("CRM", ("Exercise", true)));

        var again = await Courses.UpdateAsync(Alice, await OpenAsync(created.Id!.Value));

        Assert.Equal(created.Version, again.Version);
        Assert.True((await Courses.UpdateAsync(Alice, await OpenAsync(created.Id.Value))).Succeeded);
        Assert.Empty(await AuditAsync("Course", "Updated"));
    }

    [Fact]
    public async Task AStepWithResultsCannotBeRemovedAndTheRestOfTheEditIsNotSavedEither()
    {
        var course = await TestCatalog.AddCourseAsync(Database, "Phishing", gradedSteps: 2);
        var lena = await LearnerAsync("Lena Learner");
        await ResultAsync(lena.Id, course.Steps[0].Id, 80);
        var draft = await OpenAsync(course.Id);
        Assert.Equal([1, 0], draft.Steps.Select(s => s.ResultCount));
        draft.Title = "Phishing Awareness";
        draft.Steps.RemoveAt(0);

        var outcome = await Courses.UpdateAsync(Alice, draft);

        Assert.Equal(FailureKind.Invalid, outcome.Failure);
        Assert.Equal(
            [new FieldError("Steps", "\u201cPhishing step 1\u201d has 1 result from learners, so it cannot be removed: results are never deleted. Keep it, and make it ungraded if it should no longer count.")],
            outcome.Errors);
        var after = await OpenAsync(course.Id);
        Assert.Equal(("Phishing", 2), (after.Title, after.Steps.Count));
        Assert.Equal(course.Version, after.Version);

        // A step nobody played can go.
        draft = await OpenAsync(course.Id);
        draft.Steps.RemoveAt(1);
        Assert.True((await Courses.UpdateAsync(Alice, draft)).Succeeded);
        Assert.Equal(["Phishing step 1"], (await OpenAsync(course.Id)).Steps.Select(s => s.Title));
    }

    [Fact]
    public async Task UnpublishingACourseOfAPublishedCertificationNamesItAndCountsItsLearnersBeforeSaving()
    {
        var (courseId, _, _) = await CertifiedForkliftAsync();
        var draft = await OpenAsync(courseId);
        draft.IsPublished = false;

        var impact = await Courses.PreviewAsync(Alice, draft);

        var note = Assert.Single(impact.Notes);
        Assert.Equal(ImpactKind.CourseUnpublished, note.Kind);
        Assert.Equal(["Forklift Licence"], note.Certifications);
        Assert.Equal(1, note.Learners);
        Assert.Equal("Unpublishing \u201cForklift\u201d affects 1 published certification: \u201cForklift Licence\u201d; 1 learner holds it.", note.Headline);
        Assert.Contains("can no longer take the course", note.Effect, StringComparison.Ordinal);
        Assert.Contains("keep it until an admin edits them", note.Effect, StringComparison.Ordinal);
        Assert.False(impact.IsRefused);

        // The preview changed nothing; saving then unpublishes, and the certification still includes the course.
        Assert.True((await OpenAsync(courseId)).IsPublished);
        Assert.True((await Courses.UpdateAsync(Alice, draft)).Succeeded);
        var course = await Courses.GetForEditAsync(Alice, courseId);
        Assert.False(course!.Draft.IsPublished);
        Assert.Equal(["Forklift Licence"], course.Certifications.Select(c => c.Name));
    }

    [Fact]
    public async Task ACourseOutsidePublishedCertificationsChangesWithoutAnythingToConfirm()
    {
        var course = await TestCatalog.AddCourseAsync(Database, "Sales 101", gradedSteps: 2);
        var draft = await OpenAsync(course.Id);
        draft.IsPublished = false;
        draft.Steps[0].IsGraded = false;

        var impact = await Courses.PreviewAsync(Alice, draft);

        Assert.Equal((false, false), (impact.NeedsConfirmation, impact.IsRefused));
    }

    [Fact]
    public async Task ACourseInACertificationCannotBecomeATriggerCourse()
    {
        var (courseId, _, _) = await CertifiedForkliftAsync();
        var draft = await OpenAsync(courseId);
        draft.IsTrigger = true;

        var impact = await Courses.PreviewAsync(Alice, draft);
        var outcome = await Courses.UpdateAsync(Alice, draft);

        const string Message = "This course is part of \u201cForklift Licence\u201d: a trigger course is started by an event and can never be part of a certification. Remove it from those certifications first.";
        Assert.Equal([new FieldError("IsTrigger", Message)], impact.Refusals);
        Assert.Equal(FailureKind.Invalid, outcome.Failure);
        Assert.Equal([new FieldError("IsTrigger", Message)], outcome.Errors);
        Assert.False((await OpenAsync(courseId)).IsTrigger);
    }

    [Fact]
    public async Task MakingAGradedStepUngradedWarnsAndRecomputesTheProgressOfItsCertifications()
    {
        var (courseId, certificationId, will) = await CertifiedForkliftAsync();
        var draft = await OpenAsync(courseId);
        await ResultAsync(will.Id, draft.Steps[0].Id!.Value, 90);
        await RecomputeAsync(certificationId);
        Assert.Equal(AssignmentStatus.InProgress, (await AssignmentAsync(certificationId, will.Id)).Status);
        Time.Advance(TimeSpan.FromMinutes(5));
        draft.Steps[1].IsGraded = false;

        var impact = await Courses.PreviewAsync(Alice, draft);
        var outcome = await Courses.UpdateAsync(Alice, draft);

        var note = Assert.Single(impact.Notes);
        Assert.Equal(ImpactKind.GradingChanged, note.Kind);
        Assert.Equal("Results on \u201cForklift step 2\u201d stop counting toward \u201cForklift Licence\u201d; 1 learner holds it.", note.Headline);
        Assert.True(outcome.Succeeded, outcome.Message);
        var assignment = await AssignmentAsync(certificationId, will.Id);
        Assert.Equal((AssignmentStatus.Completed, 1), (assignment.Status, assignment.CoursesSatisfied));
    }

    [Fact]
    public async Task RemovingAGradedStepOrAddingOneIsDescribedForTheCertificationsIncludingTheCourse()
    {
        var (courseId, _, _) = await CertifiedForkliftAsync();
        var draft = await OpenAsync(courseId);
        draft.Steps.RemoveAt(0);
        draft.Steps.Add(new StepDraft { Title = "Practical test", IsGraded = true });

        var impact = await Courses.PreviewAsync(Alice, draft);

        Assert.Equal([ImpactKind.GradingChanged, ImpactKind.GradingChanged], impact.Notes.Select(n => n.Kind));
        Assert.Equal("Results on \u201cForklift step 1\u201d stop counting toward \u201cForklift Licence\u201d; 1 learner holds it.", impact.Notes[0].Headline);
        Assert.Equal("Learners of \u201cForklift Licence\u201d must also pass \u201cPractical test\u201d to satisfy this course; 1 learner holds it.", impact.Notes[1].Headline);
    }

    [Fact]
    public async Task ALearnerCannotEditCoursesAndTheRefusalIsRecorded()
    {
        await Assert.ThrowsAsync<AccessDeniedException>(() => Courses.CreateAsync(Lena, NewCourse("Sneaky")));

        await using var db = Database.CreateContext();
        Assert.Empty(await db.Courses.ToListAsync());
        Assert.Equal("lena@example.com", (await db.AuditEntries.SingleAsync(e => e.Action == "AccessDenied")).Actor);
    }
}
