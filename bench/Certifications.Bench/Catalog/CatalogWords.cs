namespace Certifications.Bench.Catalog;

/// <summary>The words generated titles and names are made of, most frequent first.</summary>
internal static class CatalogWords
{
    public static IReadOnlyList<string> Subjects { get; } =
    [
        "Health and Safety", "Information Security", "Manual Handling", "Fire Safety", "Code of Conduct", "Customer Service",
        "Leadership", "Data Protection", "Anti-Bribery", "First Aid", "Excel", "Project Management", "Sales", "Negotiation",
        "Time Management", "Diversity and Inclusion", "Phishing Awareness", "Anti-Money Laundering", "Forklift Operation",
        "Working at Height", "Performance Reviews", "Giving Feedback", "Coaching", "Presentation Skills", "Business Writing",
        "GDPR Essentials", "Conflict Resolution", "Change Management", "Risk Management", "Financial Planning",
        "Budgeting", "Workplace Wellbeing", "Mental Health Awareness", "Equality Act", "Driving Safety",
        "Hazardous Substances", "Food Hygiene", "Infection Control", "Lone Working", "Display Screen Equipment",
        "Cyber Security", "Password Hygiene", "Cloud Computing", "SQL Basics", "Python Programming", "Agile Practices",
        "Scrum", "Lean Six Sigma", "Quality Assurance", "Supplier Management", "Procurement", "Contract Law",
        "Competition Law", "Export Controls", "Sanctions Screening", "Know Your Customer", "Gifts and Hospitality",
        "Whistleblowing", "Modern Slavery", "Environmental Awareness", "Energy Efficiency", "Waste Management",
        "Electrical Safety", "Confined Spaces", "Noise at Work", "Ladder Safety", "Scaffolding", "Asbestos Awareness",
        "Pedestrian and Vehicle Safety", "Evacuation Procedures", "Emergency Response", "Crisis Communication",
        "Public Speaking", "Stakeholder Management", "Product Knowledge", "CRM Fundamentals", "Objection Handling",
        "Handling Complaints", "Telephone Etiquette", "Onboarding", "Welcome Aboard", "Interviewing",
        "Recruitment and Selection", "Payroll Basics", "Expense Policy", "Travel Policy", "Accessibility",
        "Unconscious Bias", "Remote Working", "Microsoft Teams", "PowerPoint", "Word Processing", "Outlook",
        "Power BI", "Tableau", "Kubernetes", "Docker", "Terraform", "Machine Learning", "Statistics", "Accounting Basics",
    ];

    /// <summary>Subjects only a handful of courses have: the searches that find almost nothing.</summary>
    public static IReadOnlyList<string> RareSubjects { get; } =
    [
        "Hazmat Shipping by Air", "Zebra Label Printer Setup", "Sarbanes-Oxley Controls", "Cold Chain Logistics",
        "Radiation Protection", "Underwater Welding", "Yacht Crew Induction", "Quarry Blasting", "Beekeeping Safety",
        "Falconry for Pest Control",
    ];

    public static IReadOnlyList<string> Openings { get; } =
    [
        "Introduction to", "Advanced", "Fundamentals of", "Refresher:", "Essentials of", "Practical", "Applied", "Mastering",
    ];

    public static IReadOnlyList<string> Audiences { get; } =
    [
        "for Managers", "for New Hires", "for Team Leads", "for Contractors", "for Drivers", "for Sales Teams",
        "for Engineers", "for Supervisors", "for Executives", "for Store Staff",
    ];

    public static IReadOnlyList<string> Editions { get; } =
    [
        "101", "201", "301", "Level 1", "Level 2", "Level 3", "Part 1", "Part 2", "Part 3", "(2024)", "(2025)", "(2026)",
        "(EMEA)", "(APAC)", "(Americas)", "(FR)", "(DE)", "(ES)", "(IT)", "(NL)",
    ];

    public static IReadOnlyList<string> StepKinds { get; } =
    [
        "Introduction video", "Reading", "Module quiz", "Case study", "Scenario", "Final assessment", "Practical assessment",
        "Reflection", "Simulation", "Knowledge check",
    ];

    public static IReadOnlyList<string> Departments { get; } =
    [
        "Sales", "Warehouse", "Customer Support", "Finance", "Operations", "IT", "Marketing", "Logistics", "Retail",
        "Field Service", "Engineering", "Human Resources", "Legal", "Procurement", "Facilities", "Production",
        "Maintenance", "Quality", "Research", "Compliance", "Risk", "Payroll", "Training", "Fleet", "Call Centre",
        "Store Managers", "Wealth Advisors", "Pharmacy", "Laboratory", "Security", "Reception", "Kitchen",
        "Housekeeping", "Nursing", "Internal Audit",
    ];

    public static IReadOnlyList<string> Sites { get; } =
    [
        "EMEA", "Americas", "APAC", "London", "Paris", "Lyon", "Berlin", "Madrid", "Milan", "Manchester", "Munich",
        "Amsterdam", "Brussels", "Dublin", "Lisbon", "Warsaw", "Prague", "Vienna", "Zurich", "Stockholm", "Copenhagen",
        "Helsinki", "Oslo", "Athens", "Istanbul", "Dubai", "Johannesburg", "Lagos", "Nairobi", "Cairo", "Mumbai",
        "Bangalore", "Singapore", "Hong Kong", "Shanghai", "Tokyo", "Seoul", "Sydney", "Melbourne", "Auckland",
        "New York", "Boston", "Chicago", "Dallas", "Denver", "Seattle", "San Francisco", "Los Angeles", "Toronto",
        "Montreal", "Vancouver", "Mexico City", "Bogota", "Lima", "Santiago", "Buenos Aires", "Sao Paulo", "Reykjavik",
        "Valletta", "Tallinn",
    ];

    public static IReadOnlyList<string> Teams { get; } =
    [
        "", "North", "South", "East", "West", "Day Shift", "Night Shift", "Managers", "Team A", "Team B", "Team C",
        "Team D", "Contractors", "New Hires 2025", "New Hires 2026", "Floor 1", "Floor 2", "Floor 3", "Apprentices",
        "Temps",
    ];

    public static IReadOnlyList<string> FirstNames { get; } =
    [
        "Alice", "Bob", "Chloe", "David", "Emma", "Farid", "Grace", "Hugo", "Ines", "Jamal", "Kenji", "Lena", "Marco",
        "Nadia", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Ximena", "Yusuf", "Zoe",
    ];

    public static IReadOnlyList<string> LastNames { get; } =
    [
        "Martin", "Smith", "Garcia", "Muller", "Rossi", "Dubois", "Kowalski", "Nguyen", "Okafor", "Tanaka", "Silva",
        "Johansson", "Ivanova", "Cohen", "Patel", "Kim", "Lopez", "Novak", "Murphy", "Schmidt",
    ];
}
