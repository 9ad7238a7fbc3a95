using Certifications.Portal;

var builder = WebApplication.CreateBuilder(args);
builder.AddPortal();

var app = builder.Build();
await app.PrepareDatabaseAsync();
app.UsePortal();
await app.RunAsync();

/// <summary>The portal's entry point, visible to integration tests.</summary>
public partial class Program;
