"""The vocabulary of business domains the SQL data generator draws schemas from.

Each domain is a set of entities; an entity is a table concept with typed columns and the entities
it references (its foreign keys). Column specs are compact strings `name:kind[?]`:

- kinds: `label:POOL` (a name from a word pool, the row's human label), `person`, `first`, `last`,
  `email`, `phone`, `city`, `country`, `enum:a|b|c`, `money`, `int:LO-HI`, `real:LO-HI`, `date`,
  `datetime`, `bool`, `code:PREFIX`, `year`;
  (a nullable date's `arg` is the event it records, `closed` for `closed_on`: see schemas.event_of);
- a trailing `?` marks a nullable column (the filler leaves some of its values NULL).

The generator renames everything through a naming style (snake_case, PascalCase, prefixes,
abbreviations), so the names here are canonical snake_case singular concepts.
"""

from __future__ import annotations

from dataclasses import dataclass

# Word pools for `label:` columns: values are "<word>" or "<modifier> <word>".
POOLS: dict[str, tuple[str, ...]] = {
    "product": ("Laptop", "Monitor", "Keyboard", "Desk Lamp", "Backpack", "Headphones", "Blender", "Kettle", "Sneakers", "Jacket", "Notebook", "Camera", "Router", "Chair", "Mug", "Charger"),
    "company": ("Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Aperture", "Gringotts", "Oscorp", "Pied Piper"),
    "department": ("Sales", "Marketing", "Finance", "Engineering", "Support", "Legal", "Operations", "Research", "Logistics", "Purchasing"),
    "store": ("Downtown", "Riverside", "Airport", "Harbor", "Uptown", "Mall", "Station", "Lakeside", "Old Town", "Westfield"),
    "category": ("Electronics", "Clothing", "Home", "Garden", "Toys", "Sports", "Books", "Beauty", "Grocery", "Office"),
    "course": ("Algebra", "Biology", "Chemistry", "History", "Physics", "Literature", "Statistics", "Economics", "Art", "Programming"),
    "ward": ("Cardiology", "Oncology", "Pediatrics", "Neurology", "Orthopedics", "Emergency", "Radiology", "Maternity"),
    "drug": ("Amoxicillin", "Ibuprofen", "Metformin", "Lisinopril", "Atorvastatin", "Omeprazole", "Insulin", "Paracetamol"),
    "warehouse": ("North Hub", "South Hub", "East Depot", "West Depot", "Central", "Port Yard", "Inland Terminal", "Airside"),
    "vehicle": ("Van", "Truck", "Trailer", "Cargo Bike", "Lorry", "Pickup", "Box Truck"),
    "title": ("Midnight", "Echoes", "Blue Horizon", "Silent River", "Golden Hour", "Paper Moon", "Northern Lights", "Wildfire", "Glass City", "Long Road"),
    "genre": ("Drama", "Comedy", "Thriller", "Documentary", "Jazz", "Rock", "Pop", "Classical", "Sci-Fi", "Romance"),
    "hotel": ("Grand Plaza", "Sea Breeze", "Mountain Lodge", "City Inn", "Royal Palm", "Harbor View", "Sunset Resort"),
    "airline": ("SkyWays", "AeroNord", "BlueJet", "Pacific Air", "Condor Lines", "EuroFly"),
    "machine": ("Lathe", "Press", "Mill", "Welder", "Cutter", "Drill", "Furnace", "Conveyor"),
    "part": ("Bolt", "Gear", "Bearing", "Valve", "Spring", "Shaft", "Bracket", "Gasket", "Piston"),
    "property": ("Maple Court", "Oak Residence", "Elm Tower", "Pine Villa", "Cedar House", "Birch Lofts", "Willow Park"),
    "project": ("Apollo", "Zephyr", "Orion", "Atlas", "Phoenix", "Nimbus", "Titan", "Mercury"),
    "account": ("Checking", "Savings", "Payroll", "Reserve", "Operating", "Escrow", "Petty Cash"),
    "plan": ("Starter", "Basic", "Team", "Business", "Enterprise", "Premium"),
    "team": ("Falcons", "Tigers", "Wolves", "Sharks", "Eagles", "Bears", "Lions", "Hawks"),
    "venue": ("Arena", "Stadium", "Hall", "Pavilion", "Theater", "Dome", "Field"),
    "campaign": ("Spring Sale", "Black Friday", "Back to School", "Summer Launch", "Holiday Push", "Brand Week"),
    "skill": ("Python", "SQL", "Negotiation", "Design", "Accounting", "Welding", "Nursing", "Forklift"),
}
MODIFIERS = ("Pro", "Mini", "Classic", "Smart", "Eco", "Prime", "Ultra", "Basic", "Max", "Lite", "North", "Grand")

FIRST_NAMES = ("Alice", "Bruno", "Chen", "Diana", "Emeka", "Fatima", "George", "Hana", "Ivan", "Julia", "Kofi", "Laura", "Mateo", "Nadia", "Omar", "Priya", "Quinn", "Rosa", "Sven", "Tara", "Umar", "Vera", "Wei", "Yusuf", "Zoe")
LAST_NAMES = ("Smith", "Garcia", "Kim", "Novak", "Okafor", "Rossi", "Silva", "Tanaka", "Muller", "Dubois", "Khan", "Larsen", "Lopez", "Nguyen", "Patel", "Weber", "Cohen", "Ivanova")
CITIES = ("Berlin", "Lisbon", "Toronto", "Austin", "Osaka", "Nairobi", "Lima", "Oslo", "Madrid", "Denver", "Seoul", "Lyon", "Porto", "Dublin", "Chicago", "Mumbai")
COUNTRIES = ("Germany", "Portugal", "Canada", "USA", "Japan", "Kenya", "Peru", "Norway", "Spain", "France", "Ireland", "India", "Brazil", "Italy")


@dataclass(frozen=True)
class Entity:
    name: str                      # canonical singular snake_case, e.g. "order_item"
    columns: tuple[str, ...]       # column specs (see the module docstring), no key columns
    parents: tuple[str, ...] = ()  # referenced entities; a trailing "?" makes the FK nullable


def _e(name: str, cols: str, parents: str = "") -> Entity:
    return Entity(name, tuple(cols.split()), tuple(parents.split()))


DOMAINS: dict[str, tuple[Entity, ...]] = {
    "sales": (
        _e("customer", "name:person email:email city:city country:country signup_date:date segment:enum:retail|wholesale|online phone:phone?"),
        _e("category", "name:label:category description:enum:core|seasonal|clearance?"),
        _e("product", "name:label:product price:money stock_quantity:int:0-500 sku:code:SKU launch_date:date? is_active:bool", "category"),
        _e("store", "name:label:store city:city opened_on:date manager_name:person?"),
        _e("order", "order_date:date status:enum:pending|shipped|delivered|cancelled total_amount:money shipped_date:date?", "customer store?"),
        _e("order_item", "quantity:int:1-10 unit_price:money discount:real:0-0.3?", "order product"),
        _e("payment", "amount:money paid_at:datetime method:enum:card|cash|transfer|paypal", "order"),
    ),
    "hr": (
        _e("department", "name:label:department budget:money location:city"),
        _e("employee", "first_name:first last_name:last email:email hire_date:date salary:money job_title:enum:analyst|engineer|manager|clerk|director termination_date:date?", "department manager?"),
        _e("manager", "name:person level:int:1-5 since:date"),
        _e("skill", "name:label:skill level:enum:basic|intermediate|expert"),
        _e("training", "title:label:course start_date:date hours:int:2-40 cost:money?", "department"),
        _e("leave_request", "start_date:date days:int:1-20 reason:enum:vacation|sick|parental|unpaid approved:bool", "employee"),
        _e("review", "review_date:date score:int:1-5 comment:enum:exceeds|meets|below?", "employee"),
    ),
    "finance": (
        _e("client", "name:label:company industry:enum:tech|retail|energy|health|media country:country since:date"),
        _e("account", "name:label:account currency:enum:USD|EUR|GBP|JPY balance:money opened_on:date closed_on:date?", "client"),
        _e("transaction", "amount:money posted_at:datetime kind:enum:debit|credit|fee|interest memo:enum:rent|salary|refund|invoice?", "account"),
        _e("invoice", "invoice_number:code:INV issue_date:date due_date:date amount:money paid:bool paid_date:date?", "client"),
        _e("budget", "fiscal_year:year amount:money category:enum:capex|opex|payroll|travel", "client"),
        _e("loan", "principal:money rate:real:0.01-0.12 start_date:date term_months:int:6-360", "account"),
    ),
    "logistics": (
        _e("warehouse", "name:label:warehouse city:city capacity:int:100-5000 opened_on:date"),
        _e("carrier", "name:label:company phone:phone rating:real:1-5?"),
        _e("vehicle", "plate:code:VH model:label:vehicle capacity_kg:int:500-20000 in_service:bool", "carrier"),
        _e("shipment", "ship_date:date delivery_date:date? weight_kg:real:0.5-900 status:enum:in_transit|delivered|lost|returned cost:money", "warehouse carrier vehicle?"),
        _e("package", "tracking_code:code:PK weight_kg:real:0.1-50 fragile:bool", "shipment"),
        _e("route", "origin:city destination:city distance_km:int:10-3000", "carrier"),
    ),
    "healthcare": (
        _e("patient", "name:person birth_date:date gender:enum:F|M|X city:city insurance_number:code:INS?"),
        _e("doctor", "name:person specialty:enum:cardiology|oncology|pediatrics|neurology|general hired_on:date", "ward"),
        _e("ward", "name:label:ward floor:int:1-9 beds:int:5-60"),
        _e("appointment", "scheduled_at:datetime status:enum:booked|completed|no_show|cancelled fee:money", "patient doctor"),
        _e("prescription", "dosage_mg:int:5-1000 days:int:1-90 issued_on:date", "appointment drug"),
        _e("drug", "name:label:drug unit_cost:money manufacturer:label:company"),
        _e("admission", "admitted_on:date discharged_on:date? diagnosis:enum:flu|fracture|infection|surgery|observation", "patient ward"),
    ),
    "education": (
        _e("student", "name:person email:email enrolled_on:date year_level:int:1-5 gpa:real:1-4?"),
        _e("teacher", "name:person email:email hired_on:date salary:money"),
        _e("course", "title:label:course credits:int:1-6 level:enum:intro|intermediate|advanced", "teacher"),
        _e("enrollment", "enrolled_on:date grade:real:0-100? status:enum:active|completed|dropped", "student course"),
        _e("classroom", "name:code:RM capacity:int:10-200 building:enum:north|south|east|west"),
        _e("exam", "exam_date:date max_score:int:50-100 duration_min:int:30-180", "course classroom"),
    ),
    "media": (
        _e("artist", "name:person country:country debut_year:year"),
        _e("genre", "name:label:genre"),
        _e("album", "title:label:title release_date:date price:money", "artist genre"),
        _e("track", "title:label:title duration_sec:int:90-600 plays:int:0-100000 explicit:bool", "album"),
        _e("subscriber", "name:person email:email country:country joined_on:date plan:enum:free|premium|family"),
        _e("stream", "streamed_at:datetime seconds_played:int:5-600", "subscriber track"),
    ),
    "travel": (
        _e("traveler", "name:person email:email country:country loyalty_points:int:0-90000?"),
        _e("airline", "name:label:airline country:country"),
        _e("flight", "flight_number:code:FL origin:city destination:city departure:datetime price:money seats:int:50-400", "airline"),
        _e("hotel", "name:label:hotel city:city stars:int:1-5 nightly_rate:money"),
        _e("booking", "booked_on:date total_price:money status:enum:confirmed|cancelled|pending", "traveler flight? hotel?"),
        _e("review", "rating:int:1-5 review_date:date", "traveler hotel"),
    ),
    "manufacturing": (
        _e("plant", "name:label:warehouse city:city opened_on:date"),
        _e("machine", "name:label:machine installed_on:date hourly_cost:money status:enum:running|idle|maintenance", "plant"),
        _e("part", "name:label:part unit_cost:money weight_g:int:1-5000", "supplier"),
        _e("supplier", "name:label:company country:country rating:real:1-5?"),
        _e("work_order", "start_date:date end_date:date? quantity:int:10-5000 priority:enum:low|medium|high", "machine part"),
        _e("defect", "found_on:date severity:enum:minor|major|critical count:int:1-50", "work_order"),
    ),
    "real_estate": (
        _e("agent", "name:person email:email phone:phone commission_rate:real:0.01-0.06"),
        _e("property", "name:label:property city:city price:money bedrooms:int:1-6 area_sqm:int:30-400 listed_on:date sold_on:date?", "agent"),
        _e("buyer", "name:person email:email budget:money"),
        _e("viewing", "viewed_at:datetime interest:enum:low|medium|high", "property buyer agent"),
        _e("offer", "amount:money offered_on:date accepted:bool", "property buyer"),
        _e("lease", "start_date:date end_date:date monthly_rent:money deposit:money?", "property"),
    ),
    "saas": (
        _e("plan", "name:label:plan monthly_price:money max_seats:int:1-500"),
        _e("organization", "name:label:company country:country created_at:date industry:enum:tech|finance|retail|health?"),
        _e("subscription", "started_at:date cancelled_at:date? seats:int:1-300 billing_cycle:enum:monthly|annual", "organization plan"),
        _e("user", "email:email full_name:person role:enum:admin|member|viewer last_login:datetime?", "organization"),
        _e("invoice", "issued_at:date amount:money status:enum:paid|open|void|overdue", "subscription"),
        _e("ticket", "opened_at:datetime priority:enum:low|normal|urgent subject:enum:billing|login|bug|feature closed_at:datetime?", "user"),
    ),
    "sports": (
        _e("team", "name:label:team city:city founded:year"),
        _e("player", "name:person position:enum:guard|forward|center|keeper|defender birth_date:date salary:money jersey_number:int:1-99", "team"),
        _e("venue", "name:label:venue city:city capacity:int:1000-90000"),
        _e("game", "played_on:date home_score:int:0-120 away_score:int:0-120 attendance:int:500-80000?", "venue"),
        _e("player_stat", "points:int:0-60 minutes:int:0-48 fouls:int:0-6", "player game"),
        _e("sponsor", "name:label:company amount:money since:date", "team"),
    ),
    "marketing": (
        _e("campaign", "name:label:campaign start_date:date end_date:date budget:money channel:enum:email|social|search|tv"),
        _e("lead", "name:person email:email source:enum:web|event|referral|ads created_on:date score:int:0-100?", "campaign"),
        _e("ad", "headline:label:product spend:money clicks:int:0-20000 impressions:int:100-900000", "campaign"),
        _e("contact", "name:person company:label:company city:city phone:phone?"),
        _e("deal", "amount:money stage:enum:prospect|proposal|won|lost closed_on:date?", "lead contact?"),
        _e("project", "name:label:project start_date:date budget:money"),
    ),
}
