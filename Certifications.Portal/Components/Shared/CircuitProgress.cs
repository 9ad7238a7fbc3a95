using Certifications.Core.Progress;

namespace Certifications.Portal.Components.Shared;

/// <summary>
/// Progress reported from a service running off the circuit (<see cref="Task.Run(Func{Task})"/>), handed to the component
/// on its own dispatcher, so the page repaints the bar while the work goes on and stays usable. The service never waits
/// for the page.
/// </summary>
internal sealed class CircuitProgress(Func<Func<Task>, Task> invokeAsync, Action<OperationProgress> show) : IProgress<OperationProgress>
{
    public void Report(OperationProgress value) => _ = invokeAsync(() =>
    {
        show(value);
        return Task.CompletedTask;
    });
}
