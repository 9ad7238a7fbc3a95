using System.Data.Common;
using Certifications.Core.Persistence;
using Microsoft.Data.Sqlite;
using Npgsql;
using Quartz;
using Quartz.Impl.AdoJobStore;

namespace Certifications.Portal.Jobs;

/// <summary>
/// Quartz runs the renewal sweep on the portal's own database (the SQLite file, or the PostgreSQL database, where every
/// instance is a node of one cluster: see <see cref="AddClustering"/>), from the "Scheduler" section of appsettings.json:
/// <c>Enabled</c> (default true), <c>Cron</c> (a Quartz cron expression; wins when set) or <c>IntervalMinutes</c>
/// (default 15), and <c>BatchSize</c> (read by the sweep).
/// <list type="bullet">
/// <item>Persistent ADO job store, its schema created on start when missing: the job, its triggers and a firing in
/// progress survive a restart, and a firing a crash interrupted is run again (the job requests recovery).</item>
/// <item>One run each time the portal starts, beside the schedule: it catches up with whatever came due while the
/// portal was down.</item>
/// <item>Misfires fire once now and then keep to the schedule (cron <c>FireAndProceed</c>, interval
/// <c>FireAndProceed</c>). The sweep makes every transition due at the instant it runs, each at its own instant, so
/// one late run covers any number of missed ones: firing each missed one (<c>IgnoreMisfires</c>) would only repeat
/// empty runs, and skipping to the next scheduled time (<c>DoNothing</c>) would leave statuses stale for up to an
/// interval after the portal was busy or asleep.</item>
/// <item>The job is <see cref="DisallowConcurrentExecutionAttribute"/>: the start-up run, the schedule and "run now"
/// queue behind each other, across the cluster too.</item>
/// <item>Quartz takes its clock from the <see cref="TimeProvider"/> in the container, the one the sweep uses.</item>
/// </list>
/// </summary>
internal static class RenewalScheduling
{
    public static readonly JobKey JobKey = new("renewal-sweep", "renewals");

    public static readonly TriggerKey ScheduleKey = new("renewal-sweep-schedule", "renewals");

    /// <summary>How late a firing may be before it counts as missed (Quartz's default).</summary>
    public static readonly TimeSpan MisfireThreshold = TimeSpan.FromMinutes(1);

    public const int DefaultIntervalMinutes = 15;

    private const string DataSourceName = "certifications";

    /// <summary>Whether the scheduler starts; tests that do not exercise it turn it off.</summary>
    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue("Scheduler:Enabled", true);

    public static IServiceCollection AddRenewalScheduler(this IServiceCollection services)
    {
        // Everything read from the configuration is read when first resolved: hosts (and tests) may still add to it.
        services.AddQuartz(quartz =>
        {
            quartz.UsePersistentStore(store =>
            {
                // The database is known once the container is built (hosts and tests may still add configuration), so the
                // dialect and the connection are chosen then, each by a factory, before any of Quartz's defaults.
                store.UseDataSource(DataSourceName);
                store.UseDriverDelegate(provider => provider.GetRequiredService<DatabaseSettings>().Provider == DatabaseProvider.PostgreSql
                    ? ActivatorUtilities.CreateInstance<PostgreSQLDelegate>(provider)
                    : ActivatorUtilities.CreateInstance<SQLiteDelegate>(provider));
                store.UseDataSource(_ => { });
                store.ProvisionSchema();
                store.ConfigureStore(options => options.MisfireThreshold = MisfireThreshold);
            });
            quartz.AddJob<RenewalSweepJob>(job => job
                .WithIdentity(JobKey)
                .WithDescription("Marks the time-driven transitions of every assignment whose next one has come.")
                .StoreDurably()
                .RequestRecovery());
            quartz.AddTrigger<RenewalSweepJob>((provider, trigger) => Schedule(trigger, provider));
            quartz.RunAtStartup(JobKey);
            NotificationSendJob.AddTo(quartz);
        });

        // The container owns the scheduler's connections, and closes them when the portal stops.
        services.AddKeyedSingleton(DataSourceName, (provider, _) =>
        {
            var database = provider.GetRequiredService<DatabaseSettings>();
            return database.Provider == DatabaseProvider.PostgreSql
                ? NpgsqlDataSource.Create(database.ConnectionString)
                : SqliteFactory.Instance.CreateDataSource(database.ConnectionString);
        });
        services.AddOptions<DataSourceOptions>(DataSourceName).Configure<DatabaseSettings>((source, database) =>
        {
            source.Provider = database.Provider == DatabaseProvider.PostgreSql ? DataSourceOptions.Providers.Npgsql : DataSourceOptions.Providers.Sqlite;
            source.DataSourceServiceKey = DataSourceName;
        });
        AddClustering(services);
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        services.AddOptions<QuartzHostedServiceOptions>().Configure<IConfiguration>((options, configuration) => options.AutoStart = IsEnabled(configuration));
        services.AddSingleton<ISweepScheduler, QuartzSweepScheduler>();
        return services;
    }

    /// <summary>
    /// On PostgreSQL every instance runs the scheduler as a node of one Quartz cluster: each firing is taken by one node
    /// (database row locks), the sweep runs on one node at a time across the cluster (the job disallows concurrent
    /// execution), and when a node stops checking in, another recovers the firing it was in the middle of. Each node gets
    /// an id of its own at start; <c>Scheduler:ClusterCheckinSeconds</c> (default 7.5) is how often a node checks in and
    /// how long past a missed check-in the others wait before recovering its work. SQLite is one machine's file: its store
    /// stays non-clustered. Chosen when the options are first read, like the database itself.
    /// </summary>
    private static void AddClustering(IServiceCollection services)
    {
        services.AddOptions<QuartzSchedulerOptions>().Configure<DatabaseSettings>((scheduler, database) =>
            scheduler.GenerateInstanceId |= database.Provider == DatabaseProvider.PostgreSql);
        services.AddOptions<AdoJobStoreOptions>().Configure<DatabaseSettings>((store, database) =>
            store.UseDbLocks |= database.Provider == DatabaseProvider.PostgreSql);
        services.AddOptions<ClusteringOptions>().Configure<DatabaseSettings, IConfiguration>((cluster, database, configuration) =>
        {
            if (database.Provider != DatabaseProvider.PostgreSql)
            {
                return;
            }

            cluster.Enabled = true;
            if (configuration.GetValue<double?>("Scheduler:ClusterCheckinSeconds") is { } seconds)
            {
                cluster.CheckinInterval = TimeSpan.FromSeconds(Math.Max(0.5, seconds));
                cluster.CheckinMisfireThreshold = cluster.CheckinInterval;
            }
        });
    }

    private static void Schedule(ITriggerConfigurator<RenewalSweepJob> trigger, IServiceProvider provider)
    {
        var configuration = provider.GetRequiredService<IConfiguration>();
        trigger.ForJob(JobKey).WithIdentity(ScheduleKey).WithDescription("The renewal sweep's schedule (Scheduler in appsettings.json).");
        if (configuration["Scheduler:Cron"] is { Length: > 0 } cron)
        {
            trigger.WithSchedule(CronScheduleBuilder.Create(cron).WithMisfireInstruction(CronTriggerMisfireInstruction.FireAndProceed));
            return;
        }

        // The start-up run has just swept, so the first scheduled run comes one interval later.
        var minutes = Math.Max(1, configuration.GetValue("Scheduler:IntervalMinutes", DefaultIntervalMinutes));
        trigger
            .StartAt(provider.GetRequiredService<TimeProvider>().GetUtcNow().AddMinutes(minutes))
            .WithSchedule(CalendarIntervalScheduleBuilder.Create()
                .WithInterval(minutes, IntervalUnit.Minute)
                .WithMisfireInstruction(CalendarIntervalTriggerMisfireInstruction.FireAndProceed));
    }
}
