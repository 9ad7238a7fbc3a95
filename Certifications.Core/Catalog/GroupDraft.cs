using FluentValidation;

namespace Certifications.Core.Catalog;

/// <summary>What the new-group and rename forms edit.</summary>
public sealed class GroupDraft
{
    public string Name { get; set; } = "";

    public static string NormalizeName(string name) => name.Trim().ToUpperInvariant();
}

/// <summary>The rules of a group's name. The form runs it without knowing the names in use; the service runs it with them.</summary>
public sealed class GroupDraftValidator : AbstractValidator<GroupDraft>
{
    /// <summary>The length of the Name column.</summary>
    public const int NameMaxLength = 100;

    public GroupDraftValidator()
        : this(nameInUse: false)
    {
    }

    /// <param name="nameInUse">Another group already has this name, compared without case or surrounding spaces.</param>
    public GroupDraftValidator(bool nameInUse)
    {
        RuleFor(d => d.Name)
            .Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Enter the group's name.")
            .DependentRules(() =>
            {
                RuleFor(d => d.Name)
                    .Must(name => name.Trim().Length <= NameMaxLength).WithMessage($"The name can be at most {NameMaxLength} characters long.")
                    .Must(_ => !nameInUse).WithMessage(d => $"Another group is already called \u201c{d.Name.Trim()}\u201d. Choose a different name.");
            });
    }
}
