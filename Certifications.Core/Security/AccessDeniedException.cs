namespace Certifications.Core.Security;

/// <summary>The signed-in user asked for something outside their rights. The attempt is already in the audit trail.</summary>
public sealed class AccessDeniedException : Exception
{
    public AccessDeniedException()
        : this("You do not have access to this.")
    {
    }

    public AccessDeniedException(string message)
        : base(message)
    {
    }

    public AccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
