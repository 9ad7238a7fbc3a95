using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Certifications.Core.Auditing;
using Certifications.Core.Catalog;
using Certifications.Core.Certificates;
using Certifications.Core.Certifications;
using Certifications.Core.Enrollment;
using Certifications.Core.Notifications;
using Certifications.Core.Progress;
using Certifications.Core.Renewals;
using Certifications.Core.Security;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Certifications.Core.Persistence;

public sealed class CertificationsDbContext(DbContextOptions<CertificationsDbContext> options) : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    public DbSet<Course> Courses => Set<Course>();
    public DbSet<Step> Steps => Set<Step>();
    public DbSet<Group> Groups => Set<Group>();
    public DbSet<GroupMember> GroupMembers => Set<GroupMember>();
    public DbSet<GroupCourse> GroupCourses => Set<GroupCourse>();
    public DbSet<Learner> Learners => Set<Learner>();
    public DbSet<StepResult> StepResults => Set<StepResult>();
    public DbSet<Certification> Certifications => Set<Certification>();
    public DbSet<CertificationCourse> CertificationCourses => Set<CertificationCourse>();
    public DbSet<CertificationGroup> CertificationGroups => Set<CertificationGroup>();
    public DbSet<Assignment> Assignments => Set<Assignment>();
    public DbSet<AssignmentSource> AssignmentSources => Set<AssignmentSource>();
    public DbSet<Period> Periods => Set<Period>();
    public DbSet<PeriodCourseGrade> PeriodCourseGrades => Set<PeriodCourseGrade>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<AssignmentTransition> AssignmentTransitions => Set<AssignmentTransition>();
    public DbSet<SweepRun> SweepRuns => Set<SweepRun>();
    public DbSet<CompletionRecord> CompletionRecords => Set<CompletionRecord>();
    public DbSet<Certificate> Certificates => Set<Certificate>();
    public DbSet<Notification> Notifications => Set<Notification>();

    /// <summary>The keys that protect sign-in cookies and antiforgery tokens: in the database, so every instance reads the same ones and a restart keeps everyone signed in.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants are UTC everywhere; SQLite keeps no kind, so it is restored on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();

        // Scores and grades as REAL so the database can compare and order them; the rules compute in decimal.
        configurationBuilder.Properties<decimal>().HaveConversion<double>();

        // Readable states in the database and in ad-hoc queries.
        configurationBuilder.Properties<CertificationState>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<RenewalAnchor>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<AssignmentStatus>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<AssignmentSourceKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<TransitionKind>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<SweepTrigger>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<CompletionSource>().HaveConversion<string>().HaveMaxLength(16);
        configurationBuilder.Properties<NotificationKind>().HaveConversion<string>().HaveMaxLength(24);
        configurationBuilder.Properties<EmailDelivery>().HaveConversion<string>().HaveMaxLength(16);
    }

    /// <summary>A UTC instant as its ticks (<see cref="DateTime.Ticks"/>): exact, and ordered as the instants are.</summary>
    internal static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, long> TicksConverter =
        new(instant => instant.Ticks, ticks => new DateTime(ticks, DateTimeKind.Utc));

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        // The one model differs by provider only here: how a search matches text, and how a name compares without case.
        var postgreSql = Database.IsNpgsql();
        MapSearch(builder, postgreSql);
        if (postgreSql)
        {
            builder.HasCollation(PostgreSqlCaseInsensitive, locale: "und-u-ks-level2", provider: "icu", deterministic: false);
        }

        builder.Entity<PortalUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(200);
            user.HasIndex(u => u.LearnerId).IsUnique();
            user.HasOne(u => u.Learner).WithMany().HasForeignKey(u => u.LearnerId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Course>(course =>
        {
            course.Property(c => c.Title).HasMaxLength(200);
            course.HasIndex(c => c.Title);

            // The wizard searches the offered courses (published, not trigger) by LIKE '%text%', which no index can
            // seek: its count and its page scan this index instead of the table. Partial, so it holds only what is
            // offered; covering (the flags are in it), so a scan never reads a table row.
            course.HasIndex(c => new { c.Title, c.IsPublished, c.IsTrigger }, "IX_Courses_Offered")
                .HasFilter("\"IsPublished\" AND NOT \"IsTrigger\"");
            course.HasMany(c => c.Steps).WithOne(s => s.Course).HasForeignKey(s => s.CourseId).OnDelete(DeleteBehavior.Cascade);
        });
        builder.Entity<Step>(step =>
        {
            step.Property(s => s.Title).HasMaxLength(200);
            step.HasIndex(s => new { s.CourseId, s.Position });
        });

        builder.Entity<Group>(group =>
        {
            group.Property(g => g.Name).HasMaxLength(100);
            group.HasIndex(g => g.Name).IsUnique();
        });
        builder.Entity<GroupMember>(member =>
        {
            member.HasKey(m => new { m.GroupId, m.LearnerId });
            member.HasIndex(m => m.LearnerId);
            member.HasOne(m => m.Group).WithMany(g => g.Members).HasForeignKey(m => m.GroupId);
            member.HasOne(m => m.Learner).WithMany(l => l.Groups).HasForeignKey(m => m.LearnerId);
        });
        builder.Entity<GroupCourse>(groupCourse =>
        {
            groupCourse.HasKey(gc => new { gc.GroupId, gc.CourseId });
            groupCourse.HasIndex(gc => gc.CourseId);
            groupCourse.HasOne(gc => gc.Group).WithMany(g => g.Courses).HasForeignKey(gc => gc.GroupId);
            groupCourse.HasOne(gc => gc.Course).WithMany(c => c.Groups).HasForeignKey(gc => gc.CourseId);
        });

        builder.Entity<Learner>(learner =>
        {
            learner.Property(l => l.Name).HasMaxLength(200);
            learner.Property(l => l.Email).HasMaxLength(320);
            learner.Property(l => l.NormalizedEmail).HasMaxLength(320);
            learner.HasIndex(l => l.NormalizedEmail).IsUnique();
            learner.HasIndex(l => l.Name);
            learner.HasOne(l => l.Manager).WithMany().HasForeignKey(l => l.ManagerId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<StepResult>(result =>
        {
            result.Property(r => r.ExternalId).HasMaxLength(StepResult.ExternalIdMaxLength);
            result.HasIndex(r => r.ExternalId).IsUnique();
            // The progress rules read one learner's results on a set of steps, from a window start on. The score is in
            // the index too, so that reading them never goes to the table: with millions of results, a look-up in the
            // table per result read was most of a full recompute's time in SQLite.
            result.HasIndex(r => new { r.LearnerId, r.StepId, r.CompletedAt, r.Score });
            result.HasIndex(r => r.StepId);
            result.HasOne(r => r.Learner).WithMany().HasForeignKey(r => r.LearnerId).OnDelete(DeleteBehavior.Restrict);
            result.HasOne(r => r.Step).WithMany().HasForeignKey(r => r.StepId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Certification>(certification =>
        {
            certification.Property(c => c.Name).HasMaxLength(100);
            certification.Property(c => c.NormalizedName).HasMaxLength(100);
            certification.Property(c => c.Description).HasMaxLength(2000);
            certification.Property(c => c.Version).IsConcurrencyToken();
            certification.HasIndex(c => c.NormalizedName).IsUnique().HasFilter("\"State\" <> 'Deleted'");
            certification.HasIndex(c => c.State);
        });
        builder.Entity<CertificationCourse>(included =>
        {
            included.HasKey(cc => new { cc.CertificationId, cc.CourseId });
            included.HasIndex(cc => cc.CourseId);
            included.HasOne(cc => cc.Certification).WithMany(c => c.Courses).HasForeignKey(cc => cc.CertificationId);
            included.HasOne(cc => cc.Course).WithMany().HasForeignKey(cc => cc.CourseId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<CertificationGroup>(target =>
        {
            target.HasKey(cg => new { cg.CertificationId, cg.GroupId });
            target.HasIndex(cg => cg.GroupId);
            target.HasOne(cg => cg.Certification).WithMany(c => c.TargetGroups).HasForeignKey(cg => cg.CertificationId);
            target.HasOne(cg => cg.Group).WithMany().HasForeignKey(cg => cg.GroupId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Assignment>(assignment =>
        {
            assignment.HasIndex(a => new { a.CertificationId, a.LearnerId }).IsUnique();
            // A learner's assignments. Not by status as well: the sweep and ingestion change thousands of statuses at a
            // time, and an index keyed on the learner and the status moved an entry on a random page for each (a sweep
            // of 100,000 took 20% longer, BENCHMARKS.md); what reads a learner's assignments reads their rows anyway.
            assignment.HasIndex(a => a.LearnerId);
            assignment.HasIndex(a => new { a.CertificationId, a.Status });
            assignment.HasOne(a => a.Certification).WithMany().HasForeignKey(a => a.CertificationId).OnDelete(DeleteBehavior.Restrict);
            assignment.HasOne(a => a.Learner).WithMany().HasForeignKey(a => a.LearnerId).OnDelete(DeleteBehavior.Restrict);
            assignment.HasMany(a => a.Sources).WithOne(s => s.Assignment).HasForeignKey(s => s.AssignmentId);
            assignment.HasMany(a => a.Periods).WithOne(p => p.Assignment).HasForeignKey(p => p.AssignmentId);

            // The scheduler's selection: the assignments whose next time-driven change has come. On SQLite the instant is
            // stored as its ticks, an 8-byte integer, not as 19 to 27 characters of text: the sweep moves the entry of every
            // assignment it marks from one scattered instant to another, and a smaller index dirties fewer pages per batch
            // (BENCHMARKS.md, the renewal sweep). PostgreSQL keeps its timestamptz.
            assignment.HasIndex(a => a.NextTransitionAt);
            if (!postgreSql)
            {
                assignment.Property(a => a.NextTransitionAt).HasConversion(TicksConverter);
            }
            assignment.Property(a => a.DueDateReason).HasMaxLength(CompletionRecord.ReasonMaxLength);
            assignment.Property(a => a.DueDateSetBy).HasMaxLength(320);
            assignment.Property(a => a.ExemptReason).HasMaxLength(CompletionRecord.ReasonMaxLength);
            assignment.Property(a => a.ExemptBy).HasMaxLength(320);
        });
        builder.Entity<AssignmentSource>(source =>
        {
            source.HasIndex(s => new { s.AssignmentId, s.Kind, s.GroupId }).IsUnique();
            source.HasIndex(s => s.GroupId);
            source.HasOne(s => s.Group).WithMany().HasForeignKey(s => s.GroupId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<CompletionRecord>(record =>
        {
            // The import's key: the same learner, certification and completion instant is the same completion.
            record.HasIndex(r => new { r.LearnerId, r.CertificationId, r.CompletedAt }).IsUnique();
            record.HasIndex(r => r.CertificationId);
            record.Property(r => r.Evidence).HasMaxLength(CompletionRecord.EvidenceMaxLength);
            record.Property(r => r.EvidenceFileName).HasMaxLength(255);
            record.Property(r => r.EvidenceContentType).HasMaxLength(100);
            record.Property(r => r.RecordedBy).HasMaxLength(320);
            record.Property(r => r.RevokedBy).HasMaxLength(320);
            record.Property(r => r.RevokedReason).HasMaxLength(CompletionRecord.ReasonMaxLength);
            record.HasOne<Learner>().WithMany().HasForeignKey(r => r.LearnerId).OnDelete(DeleteBehavior.Restrict);
            record.HasOne<Certification>().WithMany().HasForeignKey(r => r.CertificationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<Period>(period =>
        {
            period.HasIndex(p => new { p.AssignmentId, p.Number }).IsUnique();
            period.HasIndex(p => p.ExpiresAt);
            period.HasOne<CompletionRecord>().WithMany().HasForeignKey(p => p.CompletionRecordId).OnDelete(DeleteBehavior.Restrict);
            period.HasMany(p => p.CourseGrades).WithOne(g => g.Period).HasForeignKey(g => g.PeriodId);
        });
        builder.Entity<PeriodCourseGrade>(grade => grade.HasKey(g => new { g.PeriodId, g.CourseId }));

        builder.Entity<ApiKey>(key =>
        {
            // Names compare without regard to case, in the uniqueness check and in the index alike.
            key.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength).UseCollation(postgreSql ? PostgreSqlCaseInsensitive : "NOCASE");
            key.Property(k => k.Prefix).HasMaxLength(ApiKey.PrefixLength);
            key.Property(k => k.Hash).HasMaxLength(64);
            key.Property(k => k.CreatedBy).HasMaxLength(200);
            key.HasIndex(k => k.Name).IsUnique().HasFilter("\"RevokedAt\" IS NULL");
            key.HasIndex(k => k.Prefix);
        });

        builder.Entity<AssignmentTransition>(transition =>
        {
            transition.HasIndex(t => new { t.AssignmentId, t.EffectiveAt });
            transition.HasIndex(t => t.RunId);
            transition.HasOne(t => t.Assignment).WithMany().HasForeignKey(t => t.AssignmentId);
            transition.HasOne(t => t.Run).WithMany().HasForeignKey(t => t.RunId).OnDelete(DeleteBehavior.Restrict);
        });
        builder.Entity<SweepRun>(run =>
        {
            run.Property(r => r.Error).HasMaxLength(2000);
            run.HasIndex(r => r.StartedAt);
        });

        builder.Entity<Certificate>(certificate =>
        {
            certificate.Property(c => c.Code).HasMaxLength(Certificate.CodeLength);
            certificate.Property(c => c.RevokedReason).HasMaxLength(Certificate.RevokedReasonMaxLength);
            certificate.HasIndex(c => c.Code).IsUnique();

            // One certificate per period; a period that goes leaves its certificate behind, unlinked, to read as revoked.
            certificate.HasIndex(c => c.PeriodId).IsUnique();
            certificate.HasOne(c => c.Period).WithMany().HasForeignKey(c => c.PeriodId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<Notification>(notification =>
        {
            notification.Property(n => n.Occurrence).HasMaxLength(Notification.OccurrenceMaxLength);
            notification.Property(n => n.LastError).HasMaxLength(Notification.LastErrorMaxLength);

            // Once per recipient, learner, certification, kind and occurrence: the outbox's INSERT ... ON CONFLICT DO NOTHING.
            notification.HasIndex(n => new { n.RecipientId, n.LearnerId, n.CertificationId, n.Kind, n.Occurrence }).IsUnique();

            // A person's notifications newest first, and their unread count.
            notification.HasIndex(n => new { n.RecipientId, n.Id });
            notification.HasIndex(n => new { n.RecipientId, n.ReadAt });

            // The sender's selection: what is pending and due for an attempt.
            notification.HasIndex(n => n.NextAttemptAt);
            notification.HasOne<Learner>().WithMany().HasForeignKey(n => n.RecipientId).OnDelete(DeleteBehavior.Restrict);
            notification.HasOne<Learner>().WithMany().HasForeignKey(n => n.LearnerId).OnDelete(DeleteBehavior.Restrict);
            notification.HasOne<Certification>().WithMany().HasForeignKey(n => n.CertificationId).OnDelete(DeleteBehavior.Restrict);
        });

        builder.Entity<AuditEntry>(entry =>
        {
            entry.Property(e => e.Actor).HasMaxLength(200);
            entry.Property(e => e.EntityType).HasMaxLength(50);
            entry.Property(e => e.EntityId).HasMaxLength(50);
            entry.Property(e => e.Action).HasMaxLength(50);
            entry.HasIndex(e => new { e.EntityType, e.EntityId, e.At });
            entry.HasIndex(e => e.At);
        });
    }

    /// <summary>
    /// PostgreSQL's collation for names that compare without case (SQLite's NOCASE): ICU's root locale at secondary
    /// strength, where letters that differ only in case are equal.
    /// </summary>
    private const string PostgreSqlCaseInsensitive = "case_insensitive";

    /// <summary>
    /// <see cref="SearchPattern.Matches"/>: SQLite's LIKE as it is; on PostgreSQL, LIKE over both sides lowered in the C
    /// collation. Captures only the flag: the model, and so this translation, is shared by every context of the provider.
    /// </summary>
    private static void MapSearch(ModelBuilder builder, bool postgreSql) =>
        builder.HasDbFunction(typeof(SearchPattern).GetMethod(nameof(SearchPattern.Matches))!).HasTranslation(arguments =>
        {
            var (text, pattern) = (arguments[0], arguments[1]);
            var escape = new SqlConstantExpression(SearchPattern.Escape, typeof(string), pattern.TypeMapping ?? text.TypeMapping);
            if (!postgreSql)
            {
                return new LikeExpression(text, pattern, escape, typeMapping: null);
            }

            SqlExpression Lowered(SqlExpression value) => new SqlFunctionExpression(
                "lower", [new CollateExpression(value, "C")], nullable: true, argumentsPropagateNullability: [true], typeof(string), value.TypeMapping);
            return new LikeExpression(Lowered(text), Lowered(pattern), escape, typeMapping: null);
        });

    private sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
