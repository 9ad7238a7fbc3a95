using Certifications.Bench;
using Certifications.Bench.Enrolment;
using Certifications.Bench.Import;
using Certifications.Bench.Notify;
using Certifications.Bench.Postgres;
using Certifications.Bench.Scale;
using Certifications.Bench.Screen;
using Certifications.Bench.Search;

Scenario[] scenarios = [WizardSearchScenario.Definition, EnrolmentScenario.Definition, ScaleScenario.Definition, SweepScenario.Definition, ScreenScenario.Definition, NotifyScenario.Definition, ImportScenario.Definition, PostgresScenario.Definition];

if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
{
    Scenario.PrintUsage(scenarios, Console.Out);
    return args.Length == 0 ? 1 : 0;
}

var scenario = Array.Find(scenarios, s => s.Name == args[0]);
if (scenario is null)
{
    Console.Error.WriteLine($"There is no scenario \"{args[0]}\".");
    Scenario.PrintUsage(scenarios, Console.Error);
    return 1;
}

return await scenario.RunAsync(args[1..]);
