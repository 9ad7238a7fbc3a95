using System.Net.Mail;
using FluentValidation;

namespace Certifications.Core.Security;

/// <summary>
/// The rules of a new account. The form runs it field by field without knowing which emails are taken; the service
/// runs it whole with the emails in use before it saves.
/// </summary>
public sealed class NewUserValidator : AbstractValidator<NewUserRequest>
{
    /// <summary>The length of Identity's email and user name columns.</summary>
    public const int EmailMaxLength = 256;
    public const int DisplayNameMaxLength = 200;

    public NewUserValidator()
        : this(new HashSet<string>())
    {
    }

    /// <param name="emailsInUse">Normalized emails (see <see cref="NewUserRequest.NormalizeEmail"/>) that already have an account.</param>
    public NewUserValidator(IReadOnlySet<string> emailsInUse)
    {
        ArgumentNullException.ThrowIfNull(emailsInUse);

        RuleFor(r => r.Email)
            .Must(email => !string.IsNullOrWhiteSpace(email)).WithMessage("Enter the email address the person signs in with.")
            .DependentRules(() =>
            {
                RuleFor(r => r.Email)
                    .Must(email => email.Trim().Length <= EmailMaxLength).WithMessage($"An email address can be at most {EmailMaxLength} characters long.")
                    .Must(IsEmailAddress).WithMessage("Enter a valid email address, such as name@example.com.")
                    .Must(email => !emailsInUse.Contains(NewUserRequest.NormalizeEmail(email)))
                    .WithMessage(r => $"An account already signs in with {r.Email.Trim()}.");
            });

        RuleFor(r => r.DisplayName)
            .Must(name => !string.IsNullOrWhiteSpace(name)).WithMessage("Enter the name shown for this person.")
            .Must(name => name is null || name.Trim().Length <= DisplayNameMaxLength)
            .WithMessage($"The name can be at most {DisplayNameMaxLength} characters long.");

        RuleFor(r => r.Roles).Custom((roles, context) =>
        {
            if (RoleSetProblem(roles) is { } problem)
            {
                context.AddFailure(problem);
            }
        });
    }

    /// <summary>Why a set of roles cannot be given to an account, or null when it can. Every account is a learner.</summary>
    public static string? RoleSetProblem(IReadOnlyCollection<string>? roles)
    {
        if (roles is null || !roles.Contains(PortalRoles.Learner))
        {
            return "Every account has the Learner role: admins and managers are learners too.";
        }

        var unknown = roles.Where(r => !PortalRoles.All.Contains(r)).Order().ToList();
        return unknown.Count > 0 ? $"Unknown role {string.Join(", ", unknown)}: choose from {string.Join(", ", PortalRoles.All)}." : null;
    }

    /// <summary>One plain address with a dotted domain; display names ("Bob &lt;bob@example.com&gt;") are refused.</summary>
    private static bool IsEmailAddress(string email)
    {
        var trimmed = email.Trim();
        if (!MailAddress.TryCreate(trimmed, out var address) || address.Address != trimmed)
        {
            return false;
        }

        var host = address.Host;
        return host.Contains('.', StringComparison.Ordinal) && !host.StartsWith('.') && !host.EndsWith('.');
    }
}
