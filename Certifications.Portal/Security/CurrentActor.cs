using Certifications.Core.Auditing;
using Microsoft.AspNetCore.Components.Authorization;

namespace Certifications.Portal.Security;

/// <summary>The signed-in user of this request or circuit, as the services take it.</summary>
internal sealed class CurrentActor(AuthenticationStateProvider authentication)
{
    public async Task<Actor> GetAsync()
    {
        var state = await authentication.GetAuthenticationStateAsync();
        return Actor.From(state.User);
    }
}
