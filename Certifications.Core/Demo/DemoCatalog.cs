namespace Certifications.Core.Demo;

/// <summary>A course of the demo catalogue. In <see cref="Steps"/> a leading '*' marks a graded step.</summary>
internal sealed record DemoCourse(string Title, string Steps, bool Published = true, bool Trigger = false);

/// <summary>A demo group and the titles of the courses assigned to it.</summary>
internal sealed record DemoGroup(string Name, params string[] Courses);

/// <summary>The fixed text of the demo data set: what a mid-sized company's learning catalogue looks like.</summary>
internal static class DemoCatalog
{
    public const string SafetyIntro = "Safety 101";
    public const string ManualHandling = "Manual Handling";
    public const string FirstAid = "First Aid";
    public const string FireWarden = "Fire Warden Basics";
    public const string Evacuation = "Evacuation Procedures";
    public const string Forklift = "Forklift Operation";
    public const string PedestrianSafety = "Pedestrian and Vehicle Safety";
    public const string AntiBribery = "Anti-Bribery";
    public const string GiftsAndHospitality = "Gifts and Hospitality";
    public const string CodeOfConduct = "Code of Conduct";
    public const string AntiMoneyLaundering = "Anti-Money Laundering";
    public const string KnowYourCustomer = "Know Your Customer";
    public const string InformationSecurity = "Information Security Awareness";
    public const string Phishing = "Phishing Awareness";
    public const string SalesIntro = "Sales 101";
    public const string Negotiation = "Negotiation";
    public const string Crm = "CRM Fundamentals";
    public const string FinancialAdvisor = "Financial Advisor – Beginner";
    public const string LeadingYourTeam = "Leading Your Team";
    public const string GivingFeedback = "Giving Feedback";
    public const string PerformanceReviews = "Performance Reviews";
    public const string WelcomeAboard = "Welcome Aboard";

    public const string SalesEmea = "Sales EMEA";
    public const string SalesAmericas = "Sales Americas";
    public const string Warehouse = "Warehouse Operations";
    public const string Facilities = "Facilities & Maintenance";
    public const string Finance = "Finance";
    public const string CustomerSupport = "Customer Support";
    public const string Managers = "Managers";
    public const string HeadOffice = "Head Office";
    public const string ItSecurity = "IT & Security";
    public const string WealthAdvisors = "Wealth Advisors";
    public const string HumanResources = "Human Resources";

    /// <summary>The new-hire cohort is named after the current year, as companies do.</summary>
    public static string NewHires(int year) => $"New Hires {year}";

    public static IReadOnlyList<DemoCourse> Courses { get; } =
    [
        new(SafetyIntro, "Introduction video|*Hazard identification quiz|Safe behaviours reading|*Final assessment"),
        new(ManualHandling, "Introduction video|*Lifting technique quiz|*Final assessment"),
        new(FirstAid, "Introduction video|Module 1: Emergency action plan|*Module 1 quiz|Module 2: CPR and the recovery position|*Module 2 quiz|*Final assessment"),
        new(FireWarden, "Introduction video|*Fire classes and extinguishers quiz|*Final assessment"),
        new(Evacuation, "Evacuation walkthrough video|*Assembly point scenario|*Final assessment"),
        new("Working at Height", "Introduction video|*Ladders and scaffolds quiz|*Final assessment"),
        new(Forklift, "Introduction video|Pre-use inspection checklist|*Theory test|*Practical assessment"),
        new(PedestrianSafety, "Site traffic rules video|*Final assessment"),
        new("Hazardous Substances (COSHH)", "Introduction video|*Labels and safety data sheets quiz|*Final assessment"),
        new(AntiBribery, "Introduction video|*Module 1 quiz|*Red flags case study|*Final assessment"),
        new(GiftsAndHospitality, "Policy overview|*Scenario quiz"),
        new(CodeOfConduct, "Message from the CEO|Code of Conduct reading|*Final assessment"),
        new(AntiMoneyLaundering, "Introduction video|*Module 1 quiz|*Suspicious activity case study|*Final assessment"),
        new(KnowYourCustomer, "Introduction video|*Customer due diligence quiz|*Final assessment"),
        new("GDPR Essentials", "Introduction video|*Module 1 quiz|*Data breach scenario|*Final assessment"),
        new(InformationSecurity, "Introduction video|*Module 1 quiz|*Final assessment"),
        new(Phishing, "Spot the phish video|*Simulated inbox exercise"),
        new("Password and Access Hygiene", "Introduction video|*Final assessment"),
        new("Diversity and Inclusion", "Introduction video|Unconscious bias reading|*Reflection quiz"),
        new(SalesIntro, "Introduction video|*Module 1 quiz|*Module 2 quiz|*Final assessment"),
        new(Negotiation, "Introduction video|*Role-play assessment|*Final assessment"),
        new(Crm, "Introduction video|*Pipeline hygiene exercise|*Final assessment"),
        new("Objection Handling", "Introduction video|*Role-play assessment"),
        new("Customer Service Excellence", "Introduction video|*Module 1 quiz|*Final assessment"),
        new("Handling Complaints", "Introduction video|*Complaint scenarios|*Final assessment"),
        new(FinancialAdvisor, "Introduction video|Module 1: The advice process|*Module 1 quiz|Module 2: Suitability|*Module 2 quiz|*Final assessment"),
        new("Financial Products Overview", "Introduction video|*Final assessment"),
        new(LeadingYourTeam, "Introduction video|*Module 1 quiz|*Leadership case study|*Final assessment"),
        new(GivingFeedback, "Introduction video|*Feedback role-play"),
        new(PerformanceReviews, "Introduction video|Review template walkthrough|*Final assessment"),
        new("Time Management", "Introduction video|*Prioritisation exercise"),
        new("Business Writing", "Introduction video|*Email rewrite exercise|*Final assessment"),

        // Published but with nothing graded: they can never be part of a certification.
        new("Expense Policy", "Policy walkthrough video|Policy document"),
        new("Company Values", "Welcome from the CEO|Our values video"),
        new("Wellbeing at Work", "Introduction video|Resilience toolkit|Where to find support"),

        // Still being written.
        new("Hiring Without Bias", "Introduction video|*Final assessment", Published: false),
        new("Presenting with Confidence", "Introduction video|*Recorded pitch|*Final assessment", Published: false),
        new("Advanced Negotiation", "Introduction video|*Role-play assessment|*Final assessment", Published: false),
        new("Project Management Basics", "Introduction video|Module 1: Scope and plan|*Module 1 quiz|*Final assessment", Published: false),

        // Started by an event (a hire, an incident, a return from leave), never assigned.
        new(WelcomeAboard, "Welcome video|*Orientation quiz", Trigger: true),
        new("Incident Follow-up", "What happened video|*Lessons learned quiz", Trigger: true),
        new("Return to Work", "Wellbeing check-in|*Safe return quiz", Trigger: true),
        new("New Starter IT Setup", "Setup walkthrough|Security settings checklist", Trigger: true),
    ];

    /// <summary>
    /// Each certification's targeted groups have all its courses. Some groups lack exactly one course of a
    /// certification so that the wizard has ineligible groups to show: Head Office lacks Manual Handling, Customer
    /// Support lacks Phishing Awareness, Wealth Advisors lack Gifts and Hospitality, Human Resources lacks Leading
    /// Your Team, Facilities lacks Forklift Operation.
    /// </summary>
    public static IReadOnlyList<DemoGroup> Groups(int year) =>
    [
        new(SalesEmea, SalesIntro, Negotiation, Crm, "Objection Handling", AntiBribery, GiftsAndHospitality, CodeOfConduct, "GDPR Essentials", "Expense Policy"),
        new(SalesAmericas, SalesIntro, Negotiation, Crm, AntiBribery, GiftsAndHospitality, CodeOfConduct, "Expense Policy", "Business Writing"),
        new(Warehouse, SafetyIntro, ManualHandling, FirstAid, Forklift, PedestrianSafety, "Hazardous Substances (COSHH)", "Working at Height"),
        new(Facilities, SafetyIntro, ManualHandling, FirstAid, FireWarden, Evacuation, "Working at Height", "Hazardous Substances (COSHH)", PedestrianSafety),
        new(Finance, AntiBribery, GiftsAndHospitality, CodeOfConduct, AntiMoneyLaundering, "Expense Policy", "GDPR Essentials"),
        new(CustomerSupport, "Customer Service Excellence", "Handling Complaints", InformationSecurity, "GDPR Essentials", "Time Management"),
        new(NewHires(year), CodeOfConduct, SafetyIntro, "Company Values", InformationSecurity, "Diversity and Inclusion", "Wellbeing at Work"),
        new(Managers, LeadingYourTeam, GivingFeedback, PerformanceReviews, "Diversity and Inclusion", "Time Management"),
        new(HeadOffice, InformationSecurity, Phishing, "Password and Access Hygiene", SafetyIntro, FirstAid, Evacuation, "GDPR Essentials", "Wellbeing at Work"),
        new(ItSecurity, InformationSecurity, Phishing, "Password and Access Hygiene", "GDPR Essentials", "Business Writing"),
        new(WealthAdvisors, FinancialAdvisor, KnowYourCustomer, AntiMoneyLaundering, "Financial Products Overview", AntiBribery, CodeOfConduct),
        new(HumanResources, GivingFeedback, PerformanceReviews, "Diversity and Inclusion", "GDPR Essentials", "Wellbeing at Work"),
    ];

    /// <summary>The departments the 25 line managers lead, one team each; the office ones also sit in Head Office.</summary>
    public static IReadOnlyList<(string Department, bool Office)> Teams { get; } =
    [
        (SalesEmea, false), (SalesEmea, false), (SalesEmea, false),
        (SalesAmericas, false), (SalesAmericas, false), (SalesAmericas, false),
        (Warehouse, false), (Warehouse, false), (Warehouse, false), (Warehouse, false),
        (Facilities, false), (Facilities, false),
        (Finance, true), (Finance, true), (Finance, true),
        (CustomerSupport, true), (CustomerSupport, true), (CustomerSupport, true), (CustomerSupport, true),
        (ItSecurity, true), (ItSecurity, true),
        (WealthAdvisors, true), (WealthAdvisors, true),
        (HumanResources, true), (HumanResources, true),
    ];

    public static IReadOnlyList<string> FirstNames { get; } =
    [
        "Aisha", "Alejandro", "Amara", "Anna", "Arjun", "Beatriz", "Ben", "Camille", "Carlos", "Chen", "Chloe", "Daniel",
        "Dimitri", "Elena", "Emeka", "Emma", "Fatima", "Felix", "Freya", "Gabriel", "Grace", "Hannah", "Hiroshi", "Ibrahim",
        "Ines", "Isabel", "Jack", "James", "Jana", "Joao", "Julia", "Kai", "Kwame", "Laila", "Leon", "Lucy", "Lukas", "Maya",
        "Marta", "Mateo", "Mei", "Mohammed", "Nadia", "Niamh", "Nikolai", "Noah", "Olivia", "Oliver", "Omar", "Priya",
        "Rafael", "Rosa", "Ruth", "Samir", "Sara", "Sean", "Siobhan", "Sofia", "Tariq", "Thomas", "Tomasz", "Valentina",
        "Victor", "Wei", "Yara", "Yuki", "Zainab", "Zoe",
    ];

    public static IReadOnlyList<string> LastNames { get; } =
    [
        "Abara", "Ahmed", "Andersen", "Bauer", "Becker", "Bianchi", "Brennan", "Campbell", "Chowdhury", "Costa", "Dubois",
        "Eriksson", "Evans", "Fernandes", "Fischer", "Garcia", "Gonzalez", "Haddad", "Hansen", "Hughes", "Ito", "Jansen",
        "Kaur", "Kelly", "Kim", "Kowalski", "Larsen", "Li", "Lopez", "MacDonald", "Martin", "Mensah", "Moreau", "Murphy",
        "Nakamura", "Nguyen", "Novak", "O'Brien", "Okafor", "Olsen", "Patel", "Peeters", "Petrov", "Popescu", "Quinn",
        "Rahman", "Reyes", "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Smith", "Sokolova", "Tanaka", "Taylor",
        "Van der Berg", "Walsh", "Wang", "Williams", "Wong", "Yilmaz", "Zhang", "Zielinski",
    ];
}
