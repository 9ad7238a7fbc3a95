using Certifications.Core.Progress;
using FluentValidation;

namespace Certifications.Core.History;

/// <summary>A file an admin attaches as evidence: kept in the database, capped in size and limited to documents and pictures.</summary>
public sealed record EvidenceFile(string FileName, string ContentType, byte[] Content)
{
    public const int MaxBytes = 5 * 1024 * 1024;

    public static IReadOnlySet<string> ContentTypes { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "application/pdf", "image/png", "image/jpeg", "text/plain",
    };
}

/// <summary>Mark a learner's assignment complete: the day, the evidence (why), and optionally a file.</summary>
public sealed class MarkCompleteRequest
{
    public DateOnly? CompletedOn { get; set; }
    public string Evidence { get; set; } = "";
    public EvidenceFile? File { get; set; }
}

public sealed class MarkCompleteRequestValidator : AbstractValidator<MarkCompleteRequest>
{
    public MarkCompleteRequestValidator(DateOnly today)
    {
        RuleFor(r => r.CompletedOn).NotNull().WithMessage("Give the day it was completed.")
            .LessThanOrEqualTo(today).WithMessage("The completion cannot be later than today.");
        RuleFor(r => r.Evidence).NotEmpty().WithMessage("Say what shows it was completed.")
            .MaximumLength(CompletionRecord.EvidenceMaxLength);
        RuleFor(r => r.File!.Content.Length).LessThanOrEqualTo(EvidenceFile.MaxBytes)
            .WithMessage($"The file is larger than {EvidenceFile.MaxBytes / 1024 / 1024} MB.").When(r => r.File is not null).OverridePropertyName(nameof(MarkCompleteRequest.File));
        RuleFor(r => r.File!.ContentType).Must(EvidenceFile.ContentTypes.Contains)
            .WithMessage("The file must be a PDF, a PNG or JPEG picture, or text.").When(r => r.File is not null).OverridePropertyName(nameof(MarkCompleteRequest.File));
    }
}

/// <summary>Set a due date for one learner, or exempt them: with the reason, and for an exemption an optional last day.</summary>
public sealed class DateWithReasonRequest
{
    public DateOnly? Date { get; set; }
    public string Reason { get; set; } = "";
}

public sealed class DueDateRequestValidator : AbstractValidator<DateWithReasonRequest>
{
    public DueDateRequestValidator()
    {
        RuleFor(r => r.Date).NotNull().WithMessage("Give the due date.");
        RuleFor(r => r.Reason).NotEmpty().WithMessage("Say why.").MaximumLength(CompletionRecord.ReasonMaxLength);
    }
}

public sealed class ExemptionRequestValidator : AbstractValidator<DateWithReasonRequest>
{
    public ExemptionRequestValidator(DateOnly today)
    {
        RuleFor(r => r.Date).GreaterThanOrEqualTo(today).WithMessage("The exemption cannot end before today.").When(r => r.Date is not null);
        RuleFor(r => r.Reason).NotEmpty().WithMessage("Say why.").MaximumLength(CompletionRecord.ReasonMaxLength);
    }
}

/// <summary>Undoing an action, or revoking a completion: the reason is required.</summary>
public sealed class ReasonRequest
{
    public string Reason { get; set; } = "";
}

public sealed class ReasonRequestValidator : AbstractValidator<ReasonRequest>
{
    public ReasonRequestValidator()
    {
        RuleFor(r => r.Reason).NotEmpty().WithMessage("Say why.").MaximumLength(CompletionRecord.ReasonMaxLength);
    }
}

/// <summary>A completion record as the profile card lists it.</summary>
public sealed record CompletionRecordView(
    long Id,
    CompletionSource Source,
    DateTime CompletedAt,
    DateTime? ExpiresAt,
    string? Evidence,
    string? EvidenceFileName,
    string RecordedBy,
    DateTime RecordedAt,
    DateTime? RevokedAt,
    string? RevokedBy,
    string? RevokedReason)
{
    public bool IsRevoked => RevokedAt is not null;
}

/// <summary>What an admin has set on one learner's assignment, for the profile card's actions.</summary>
public sealed record AssignmentCorrections(
    int AssignmentId,
    int CertificationId,
    int LearnerId,
    string CertificationName,
    DateOnly? DueDate,
    string? DueDateReason,
    string? DueDateSetBy,
    DateTime? ExemptSince,
    DateOnly? ExemptUntil,
    string? ExemptReason,
    string? ExemptBy,
    IReadOnlyList<CompletionRecordView> Records);

/// <summary>A refused correction, with the message to show (the assignment is gone, a completion on that day exists).</summary>
public sealed class CorrectionException(string message) : Exception(message)
{
    public CorrectionException()
        : this("The change could not be made.")
    {
    }

    public CorrectionException(string message, Exception innerException)
        : this(message + " " + innerException?.Message)
    {
    }
}
