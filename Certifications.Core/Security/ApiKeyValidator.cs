using FluentValidation;

namespace Certifications.Core.Security;

/// <summary>
/// The rules of a new key's name. The form runs it without knowing which names are taken; the service runs it again
/// with the names of the active keys before it saves.
/// </summary>
public sealed class ApiKeyValidator : AbstractValidator<ApiKeyDraft>
{
    public ApiKeyValidator()
        : this(new HashSet<string>(StringComparer.OrdinalIgnoreCase))
    {
    }

    /// <param name="activeNames">Names of the keys not revoked, compared without regard to case.</param>
    public ApiKeyValidator(IReadOnlySet<string> activeNames)
    {
        ArgumentNullException.ThrowIfNull(activeNames);
        RuleFor(d => d.Name)
            .Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Enter a name for the key, such as the system that will use it.")
            .DependentRules(() =>
            {
                RuleFor(d => d.Name)
                    .Must(name => name.Trim().Length <= ApiKey.NameMaxLength).WithMessage($"The name can be at most {ApiKey.NameMaxLength} characters long.")
                    .Must(name => !activeNames.Contains(name.Trim())).WithMessage(d => $"An active key is already named {d.Name.Trim()}.");
            });
    }
}
