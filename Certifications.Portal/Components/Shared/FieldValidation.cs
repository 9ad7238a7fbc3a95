using Certifications.Core.Certifications;
using FluentValidation;

namespace Certifications.Portal.Components.Shared;

/// <summary>
/// Lets a MudForm check one field at a time with a FluentValidation validator from Core: pass <see cref="Validate"/>
/// as the form's <c>Validation</c>, give the form its <c>Model</c>, and each input its <c>For</c>. Messages the server
/// sent back after a save (an email taken meanwhile) stay on their field until its value changes.
/// </summary>
internal sealed class FieldValidation<T>(IValidator<T> validator)
{
    private readonly Dictionary<string, (object? Value, string Message)> fromServer = [];

    public Func<object, string, Task<IEnumerable<string>>> Validate => async (model, path) =>
    {
        var typed = (T)model;
        var result = await validator.ValidateAsync(ValidationContext<T>.CreateWithOptions(typed, o => o.IncludeProperties(path)));
        var messages = result.Errors.Select(e => e.ErrorMessage).ToList();
        if (fromServer.TryGetValue(path, out var sent))
        {
            if (Equals(ValueOf(typed, path), sent.Value))
            {
                messages.Add(sent.Message);
            }
            else
            {
                fromServer.Remove(path);
            }
        }

        return messages;
    };

    /// <summary>Keeps the server's messages for the given fields; returns the others (whole-form messages and fields without an input).</summary>
    public IReadOnlyList<string> ShowServerErrors(T model, IEnumerable<FieldError> errors, params string[] fields)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var rest = new List<string>();
        foreach (var error in errors)
        {
            if (fields.Contains(error.Field))
            {
                fromServer[error.Field] = (ValueOf(model, error.Field), error.Message);
            }
            else
            {
                rest.Add(error.Message);
            }
        }

        return rest;
    }

    private static object? ValueOf(T model, string path) => typeof(T).GetProperty(path)?.GetValue(model);
}
