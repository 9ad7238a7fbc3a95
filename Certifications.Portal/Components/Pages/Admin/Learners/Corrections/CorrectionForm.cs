using Certifications.Core.History;
using Certifications.Core.Progress;
using FluentValidation;

namespace Certifications.Portal.Components.Pages.Admin.Learners.Corrections;

/// <summary>The corrections an admin makes from the profile card; each undo is a correction of its own.</summary>
public enum CorrectionKind
{
    MarkComplete,
    SetDueDate,
    Exempt,
    LiftDueDate,
    LiftExemption,
    Revoke,
    Restore,
}

/// <summary>What the correction dialog asks: a day when the correction needs one, and the evidence or the reason.</summary>
internal sealed class CorrectionForm
{
    public DateTime? Date { get; set; }
    public string Text { get; set; } = "";
}

/// <summary>The dialog's checks as the fields are typed; the service checks again with Core's validators.</summary>
internal sealed class CorrectionFormValidator : AbstractValidator<CorrectionForm>
{
    public CorrectionFormValidator(CorrectionKind kind, DateOnly today)
    {
        RuleFor(f => f.Text).NotEmpty().WithMessage(kind == CorrectionKind.MarkComplete ? "Say what shows it was completed." : "Say why.")
            .MaximumLength(kind == CorrectionKind.MarkComplete ? CompletionRecord.EvidenceMaxLength : CompletionRecord.ReasonMaxLength);
        if (kind is CorrectionKind.MarkComplete or CorrectionKind.SetDueDate)
        {
            RuleFor(f => f.Date).NotNull().WithMessage("Give the day.");
        }

        if (kind == CorrectionKind.MarkComplete)
        {
            RuleFor(f => f.Date).Must(d => d is null || DateOnly.FromDateTime(d.Value) <= today).WithMessage("The completion cannot be later than today.");
        }

        if (kind == CorrectionKind.Exempt)
        {
            RuleFor(f => f.Date).Must(d => d is null || DateOnly.FromDateTime(d.Value) >= today).WithMessage("The exemption cannot end before today.");
        }
    }

    public static string Title(CorrectionKind kind) => kind switch
    {
        CorrectionKind.MarkComplete => "Mark complete",
        CorrectionKind.SetDueDate => "Set a due date for this learner",
        CorrectionKind.Exempt => "Exempt this learner",
        CorrectionKind.LiftDueDate => "Lift the learner's due date",
        CorrectionKind.LiftExemption => "Lift the exemption",
        CorrectionKind.Revoke => "Revoke this completion",
        _ => "Restore this completion",
    };

    public static string? DateLabel(CorrectionKind kind) => kind switch
    {
        CorrectionKind.MarkComplete => "Completed on",
        CorrectionKind.SetDueDate => "Due on",
        CorrectionKind.Exempt => "Exempt until (optional)",
        _ => null,
    };
}
