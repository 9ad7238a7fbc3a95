using FluentValidation;
using Certifications.Core.Certifications;

namespace Certifications.Tests.Core.Certifications;

public sealed class CertificationValidatorTests
{
    private static readonly CourseFact Safety = new(1, "Safety 101", IsPublished: true, IsTrigger: false, StepCount: 3, GradedStepCount: 2);
    private static readonly CourseFact FireWarden = new(2, "Fire Warden", IsPublished: true, IsTrigger: false, StepCount: 2, GradedStepCount: 1);
    private static readonly CourseFact Welcome = new(3, "Welcome video", IsPublished: true, IsTrigger: false, StepCount: 1, GradedStepCount: 0);
    private static readonly CourseFact Draft = new(4, "Unreleased course", IsPublished: false, IsTrigger: false, StepCount: 2, GradedStepCount: 2);
    private static readonly CourseFact Onboarding = new(5, "Onboarding trigger", IsPublished: true, IsTrigger: true, StepCount: 2, GradedStepCount: 2);

    private static readonly CatalogFacts Facts = new(
        new[] { Safety, FireWarden, Welcome, Draft, Onboarding }.ToDictionary(c => c.Id),
        new Dictionary<int, GroupFact>
        {
            [10] = new(10, "Warehouse", new HashSet<int> { 1, 2 }),
            [11] = new(11, "Sales EMEA", new HashSet<int> { 1 }),
        },
        new HashSet<string> { "SALES 101" });

    private static CertificationDraft Valid() => new()
    {
        Name = "Workplace Safety",
        EffectiveFrom = new DateOnly(2026, 1, 1),
        MinimumPassingGrade = 70,
        CourseIds = [1, 2],
        GroupIds = [10],
    };

    private static List<string> Errors(CertificationDraft draft, ValidationPurpose purpose = ValidationPurpose.Publish, string? field = null)
    {
        var result = new CertificationValidator(Facts, purpose).Validate(draft);
        return [.. result.Errors.Where(e => field is null || e.PropertyName == field).Select(e => e.ErrorMessage)];
    }

    [Fact]
    public void ACompleteCertificationIsValidForPublishing() => Assert.Empty(Errors(Valid()));

    [Theory]
    [InlineData("", "Enter a name")]
    [InlineData("   ", "Enter a name")]
    [InlineData("ab", "3 to 100 characters")]
    [InlineData("sales 101", "already called")]
    [InlineData(" Sales 101 ", "already called")]
    public void TheNameIsRequiredBetweenThreeAndAHundredCharactersAndUnique(string name, string expected)
    {
        var draft = Valid();
        draft.Name = name;
        Assert.Contains(Errors(draft, field: nameof(draft.Name)), m => m.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void ANameOfExactlyAHundredCharactersIsAcceptedAndOneMoreIsNot()
    {
        var draft = Valid();
        draft.Name = new string('a', 100);
        Assert.Empty(Errors(draft, field: nameof(draft.Name)));
        draft.Name = new string('a', 101);
        Assert.NotEmpty(Errors(draft, field: nameof(draft.Name)));
    }

    [Fact]
    public void TheDescriptionIsLimitedToTwoThousandCharacters()
    {
        var draft = Valid();
        draft.Description = new string('x', 2000);
        Assert.Empty(Errors(draft));
        draft.Description = new string('x', 2001);
        Assert.Contains(Errors(draft, field: nameof(draft.Description)), m => m.Contains("at most 2,000", StringComparison.Ordinal));
    }

    [Fact]
    public void TheDueDateCannotBeBeforeEffectiveFromButMayBeTheSameDay()
    {
        var draft = Valid();
        draft.DueDate = new DateOnly(2025, 12, 31);
        Assert.Contains(Errors(draft, field: nameof(draft.DueDate)), m => m.Contains("cannot be before Effective From (1 Jan 2026)", StringComparison.Ordinal));
        draft.DueDate = new DateOnly(2026, 1, 1);
        Assert.Empty(Errors(draft));
    }

    [Fact]
    public void ADueDateIsRefusedOnARenewingCertification()
    {
        var draft = Valid();
        draft.RenewalRequired = true;
        draft.RenewalPeriodMonths = 12;
        draft.DueDate = new DateOnly(2026, 6, 1);
        Assert.Contains(Errors(draft, field: nameof(draft.DueDate)), m => m.Contains("only to one-time", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true, null, false)]
    [InlineData(true, 2, false)]
    [InlineData(true, 1, true)]
    [InlineData(true, 3, true)]
    [InlineData(true, 6, true)]
    [InlineData(true, 12, true)]
    [InlineData(false, null, true)]
    [InlineData(false, 12, false)]
    public void TheRenewalPeriodIsSetExactlyWhenRenewalIsOn(bool renewal, int? months, bool valid)
    {
        var draft = Valid();
        draft.RenewalRequired = renewal;
        draft.RenewalPeriodMonths = months;
        draft.RenewalWindowDays = 0;
        Assert.Equal(valid, Errors(draft, field: nameof(draft.RenewalPeriodMonths)).Count == 0);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(365, true)]
    [InlineData(366, false)]
    public void TheGracePeriodIsBetweenZeroAndThreeHundredSixtyFiveDays(int days, bool valid)
    {
        var draft = Valid();
        draft.GraceDays = days;
        Assert.Equal(valid, Errors(draft, field: nameof(draft.GraceDays)).Count == 0);
    }

    [Theory]
    [InlineData(-0.01, false)]
    [InlineData(0, true)]
    [InlineData(100, true)]
    [InlineData(100.01, false)]
    public void TheMinimumPassingGradeIsBetweenZeroAndAHundred(double grade, bool valid)
    {
        var draft = Valid();
        draft.MinimumPassingGrade = (decimal)grade;
        Assert.Equal(valid, Errors(draft, field: nameof(draft.MinimumPassingGrade)).Count == 0);
    }

    [Theory]
    [InlineData(1, 15, true)]
    [InlineData(1, 16, false)]
    [InlineData(12, 180, true)]
    [InlineData(12, 181, false)]
    public void TheRenewalWindowIsAtMostHalfTheRenewalPeriod(int months, int days, bool valid)
    {
        var draft = Valid();
        draft.RenewalRequired = true;
        draft.RenewalPeriodMonths = months;
        draft.RenewalWindowDays = days;
        Assert.Equal(valid, Errors(draft, field: nameof(draft.RenewalWindowDays)).Count == 0);
    }

    [Fact]
    public void PublishingNeedsACourseWithAGradedStepButADraftMaySaveWithout()
    {
        var draft = Valid();
        draft.CourseIds = [3];
        draft.GroupIds = [];
        Assert.Empty(Errors(draft, ValidationPurpose.Save));
        Assert.Contains(Errors(draft, ValidationPurpose.Publish), m => m.Contains("at least one course with a graded step", StringComparison.Ordinal));
    }

    [Fact]
    public void UnpublishedAndTriggerCoursesAreRefusedByName()
    {
        var draft = Valid();
        draft.CourseIds = [1, 4, 5];
        draft.GroupIds = [];
        var errors = Errors(draft, ValidationPurpose.Save, nameof(draft.CourseIds));
        Assert.Contains(errors, m => m.Contains("\u201cUnreleased course\u201d is not published", StringComparison.Ordinal));
        Assert.Contains(errors, m => m.Contains("\u201cOnboarding trigger\u201d is a trigger course", StringComparison.Ordinal));
    }

    [Fact]
    public void AGroupMissingAnIncludedCourseIsRefusedWithTheGroupAndTheCourseNamed()
    {
        var draft = Valid();
        draft.GroupIds = [10, 11];
        var errors = Errors(draft, ValidationPurpose.Save, nameof(draft.GroupIds));
        var message = Assert.Single(errors);
        Assert.Contains("\u201cSales EMEA\u201d is not assigned \u201cFire Warden\u201d", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddingACourseThatATargetedGroupLacksIsRefused()
    {
        var draft = Valid();
        draft.CourseIds = [1];
        draft.GroupIds = [11];
        Assert.Empty(Errors(draft));
        draft.CourseIds.Add(2);
        Assert.Contains(Errors(draft, field: nameof(draft.GroupIds)), m => m.Contains("Sales EMEA", StringComparison.Ordinal) && m.Contains("Fire Warden", StringComparison.Ordinal));
    }

    [Fact]
    public void MissingCoursesAreNamedInTheirIncludedOrder()
    {
        var missing = Facts.MissingCourses(11, [2, 1, 3]);
        Assert.Equal(["Fire Warden", "Welcome video"], missing.Select(c => c.Title));
    }

    [Fact]
    public void OneFieldCanBeValidatedAloneAsTheWizardDoes()
    {
        var draft = Valid();
        draft.Name = "";
        draft.GraceDays = 999;
        var result = new CertificationValidator(Facts, ValidationPurpose.Save)
            .Validate(draft, o => o.IncludeProperties(nameof(CertificationDraft.GraceDays)));
        var error = Assert.Single(result.Errors);
        Assert.Equal(nameof(CertificationDraft.GraceDays), error.PropertyName);
    }
}
