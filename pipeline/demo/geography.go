package demo

// The channel's geography and vocabulary: where partners are, what they are called, what
// they do. Plain tables; partners draw from them in channel.go.

// place is a town as the channel database records it.
type place struct {
	city, postcode, region string
}

// territory is a sales territory: a country, or an area of France.
type territory struct {
	code    string  // as in channel.csv, reps.csv and targets.csv
	country string  // ISO 3166 alpha-2
	weight  float64 // share of the channel database
	places  []place
}

// territories are listed in the order of every report the demo writes.
var territories = []territory{
	{"FR-IDF", "FR", 0.22, []place{
		{"Paris", "75011", "Île-de-France"}, {"Paris", "75015", "Île-de-France"},
		{"Paris", "75018", "Île-de-France"}, {"Boulogne-Billancourt", "92100", "Île-de-France"},
		{"Nanterre", "92000", "Île-de-France"}, {"Saint-Denis", "93200", "Île-de-France"},
		{"Montreuil", "93100", "Île-de-France"}, {"Créteil", "94000", "Île-de-France"},
		{"Vitry-sur-Seine", "94400", "Île-de-France"}, {"Versailles", "78000", "Île-de-France"},
		{"Évry-Courcouronnes", "91000", "Île-de-France"}, {"Massy", "91300", "Île-de-France"},
		{"Cergy", "95000", "Île-de-France"}, {"Argenteuil", "95100", "Île-de-France"},
		{"Meaux", "77100", "Île-de-France"}, {"Melun", "77000", "Île-de-France"},
	}},
	{"FR-NORD", "FR", 0.15, []place{
		{"Lille", "59000", "Hauts-de-France"}, {"Roubaix", "59100", "Hauts-de-France"},
		{"Tourcoing", "59200", "Hauts-de-France"}, {"Valenciennes", "59300", "Hauts-de-France"},
		{"Dunkerque", "59140", "Hauts-de-France"}, {"Arras", "62000", "Hauts-de-France"},
		{"Lens", "62300", "Hauts-de-France"}, {"Calais", "62100", "Hauts-de-France"},
		{"Amiens", "80000", "Hauts-de-France"}, {"Beauvais", "60000", "Hauts-de-France"},
		{"Compiègne", "60200", "Hauts-de-France"}, {"Saint-Quentin", "02100", "Hauts-de-France"},
		{"Rouen", "76000", "Normandie"}, {"Le Havre", "76600", "Normandie"},
	}},
	{"FR-OUEST", "FR", 0.17, []place{
		{"Nantes", "44000", "Pays de la Loire"}, {"Saint-Nazaire", "44600", "Pays de la Loire"},
		{"Angers", "49000", "Pays de la Loire"}, {"Le Mans", "72000", "Pays de la Loire"},
		{"La Roche-sur-Yon", "85000", "Pays de la Loire"}, {"Rennes", "35000", "Bretagne"},
		{"Brest", "29200", "Bretagne"}, {"Quimper", "29000", "Bretagne"},
		{"Lorient", "56100", "Bretagne"}, {"Vannes", "56000", "Bretagne"},
		{"Saint-Brieuc", "22000", "Bretagne"}, {"Caen", "14000", "Normandie"},
		{"Cherbourg-en-Cotentin", "50100", "Normandie"}, {"Tours", "37000", "Centre-Val de Loire"},
		{"Orléans", "45000", "Centre-Val de Loire"}, {"Poitiers", "86000", "Nouvelle-Aquitaine"},
		{"La Rochelle", "17000", "Nouvelle-Aquitaine"},
	}},
	{"FR-SUD", "FR", 0.17, []place{
		{"Bordeaux", "33000", "Nouvelle-Aquitaine"}, {"Mérignac", "33700", "Nouvelle-Aquitaine"},
		{"Pau", "64000", "Nouvelle-Aquitaine"}, {"Bayonne", "64100", "Nouvelle-Aquitaine"},
		{"Toulouse", "31000", "Occitanie"}, {"Montpellier", "34000", "Occitanie"},
		{"Béziers", "34500", "Occitanie"}, {"Nîmes", "30000", "Occitanie"},
		{"Perpignan", "66000", "Occitanie"}, {"Marseille", "13008", "Provence-Alpes-Côte d'Azur"},
		{"Marseille", "13010", "Provence-Alpes-Côte d'Azur"}, {"Aix-en-Provence", "13100", "Provence-Alpes-Côte d'Azur"},
		{"Toulon", "83000", "Provence-Alpes-Côte d'Azur"}, {"Nice", "06000", "Provence-Alpes-Côte d'Azur"},
		{"Cannes", "06400", "Provence-Alpes-Côte d'Azur"}, {"Avignon", "84000", "Provence-Alpes-Côte d'Azur"},
	}},
	{"FR-EST", "FR", 0.14, []place{
		{"Strasbourg", "67000", "Grand Est"}, {"Mulhouse", "68100", "Grand Est"},
		{"Colmar", "68000", "Grand Est"}, {"Metz", "57000", "Grand Est"},
		{"Nancy", "54000", "Grand Est"}, {"Reims", "51100", "Grand Est"},
		{"Troyes", "10000", "Grand Est"}, {"Dijon", "21000", "Bourgogne-Franche-Comté"},
		{"Besançon", "25000", "Bourgogne-Franche-Comté"}, {"Lyon", "69003", "Auvergne-Rhône-Alpes"},
		{"Lyon", "69007", "Auvergne-Rhône-Alpes"}, {"Villeurbanne", "69100", "Auvergne-Rhône-Alpes"},
		{"Grenoble", "38000", "Auvergne-Rhône-Alpes"}, {"Saint-Étienne", "42000", "Auvergne-Rhône-Alpes"},
		{"Annecy", "74000", "Auvergne-Rhône-Alpes"}, {"Clermont-Ferrand", "63000", "Auvergne-Rhône-Alpes"},
		{"Bourg-en-Bresse", "01000", "Auvergne-Rhône-Alpes"},
	}},
	{"BE", "BE", 0.06, []place{
		{"Bruxelles", "1000", "Bruxelles-Capitale"}, {"Anderlecht", "1070", "Bruxelles-Capitale"},
		{"Liège", "4000", "Wallonie"}, {"Namur", "5000", "Wallonie"}, {"Charleroi", "6000", "Wallonie"},
		{"Mons", "7000", "Wallonie"}, {"Antwerpen", "2000", "Flandre"}, {"Gent", "9000", "Flandre"},
		{"Brugge", "8000", "Flandre"}, {"Leuven", "3000", "Flandre"},
	}},
	{"CH", "CH", 0.04, []place{
		{"Genève", "1201", "Genève"}, {"Lausanne", "1003", "Vaud"}, {"Fribourg", "1700", "Fribourg"},
		{"Neuchâtel", "2000", "Neuchâtel"}, {"Zürich", "8001", "Zürich"}, {"Basel", "4051", "Bâle-Ville"},
		{"Bern", "3011", "Berne"},
	}},
	{"UK", "GB", 0.05, []place{
		{"London", "EC1A 1BB", "Greater London"}, {"London", "SE1 9SG", "Greater London"},
		{"Manchester", "M1 1AE", "North West"}, {"Birmingham", "B1 1BB", "West Midlands"},
		{"Leeds", "LS1 4AP", "Yorkshire and the Humber"}, {"Bristol", "BS1 4ST", "South West"},
		{"Glasgow", "G1 1XQ", "Scotland"},
	}},
}

// territoryWeights is the weight column of territories.
func territoryWeights() []float64 {
	w := make([]float64, len(territories))
	for i, t := range territories {
		w[i] = t.weight
	}
	return w
}

// Street names; French ones take the number first, Belgian and Swiss ones after.
var (
	frStreets = []string{"rue de la République", "avenue Jean Jaurès", "rue Victor Hugo",
		"boulevard Gambetta", "rue du Général de Gaulle", "rue Pasteur", "rue de l'Industrie",
		"avenue de la Gare", "rue du Commerce", "rue des Artisans", "route Nationale",
		"rue des Lilas", "chemin des Vignes", "allée des Érables", "rue de l'Église"}
	frZones = []string{"ZA des Granges", "ZI Nord", "Parc d'activités du Moulin",
		"ZAC de la Croix Blanche", "Zone artisanale Les Prés"}
	beStreets = []string{"Rue de la Loi", "Chaussée de Mons", "Kerkstraat", "Stationsstraat", "Rue Saint-Gilles"}
	chStreets = []string{"Bahnhofstrasse", "Rue du Rhône", "Avenue de la Gare", "Industriestrasse", "Route de Genève"}
	ukStreets = []string{"High Street", "Station Road", "Church Lane", "Victoria Road", "Mill Lane"}
)

// Surnames that company names are built on. Resellers missing from the channel database
// take theirs from a list of their own, so that they never look like a listed partner.
var (
	frSurnames = []string{"Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
		"Durand", "Leroy", "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David",
		"Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier",
		"Dupont", "Lambert", "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure",
		"Rousseau", "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin",
		"Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin",
		"Masson", "Sanchez", "Gérard", "Nguyen", "Boyer", "Denis", "Lemaire", "Duval", "Joly",
		"Gautier", "Roger", "Roche", "Roy", "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Pérez",
		"Marchand", "Dufour", "Blanchard", "Barbier", "Brun", "Dumas", "Brunet", "Schmitt",
		"Leroux", "Colin", "Fernandez", "Renard", "Arnaud", "Rolland", "Caron", "Aubert",
		"Giraud", "Leclerc", "Vidal", "Bourgeois", "Renaud", "Lemoine", "Picard", "Gaillard",
		"Philippe", "Lacroix", "Fabre", "Dupuis", "Olivier", "Rodriguez", "Da Silva", "Hubert",
		"Guillot", "Rivière", "Le Gall", "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez",
		"Berger", "Lecomte", "Ménard", "Fleury", "Deschamps", "Carpentier", "Julien", "Benoît",
		"Maillard", "Marchal", "Aubry", "Vasseur", "Le Roux", "Renault", "Jacquet", "Collet",
		"Prévost", "Poirier", "Charpentier", "Royer", "Huet", "Baron", "Dupuy", "Pons", "Carré",
		"Breton", "Rémy", "Schneider", "Perrot", "Guyot", "Barre", "Marty", "Cousin", "Le Goff"}
	unlistedSurnames = []string{"Vautrin", "Kervella", "Ollivier", "Quéméner", "Achard",
		"Bouvier", "Lemaître", "Tessier", "Jourdain", "Besnard", "Paquet", "Ferrand", "Delmas",
		"Pichon", "Cordier", "Texier", "Lebreton", "Chauvin", "Vallée", "Hoarau"}
	beSurnames = []string{"Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes",
		"Goossens", "Wouters", "De Smet", "Dubois", "Lambert", "Dupont", "Leclercq", "Lejeune"}
	chSurnames = []string{"Müller", "Meier", "Schmid", "Keller", "Weber", "Huber", "Favre",
		"Rochat", "Bianchi", "Gerber", "Brunner", "Baumann"}
	ukSurnames = []string{"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
		"Davies", "Evans", "Roberts", "Walker", "Wright", "Hughes", "Clarke", "Turner"}
)

// trade is what kind of business a partner is, with the name patterns of such businesses
// (%s is a surname) and how its purchases spread over the product lines.
type trade struct {
	name   string
	weight float64
	fr     []string
	be     []string
	ch     []string
	uk     []string
	mix    [4]float64 // weights of productLines
}

var trades = []trade{
	{"IT VAR", 0.22,
		[]string{"%s Informatique", "Infotech %s", "%s Systèmes & Réseaux", "Bureautique %s", "Micro %s Services", "%s Solutions Numériques"},
		[]string{"%s IT", "%s Informatique"}, []string{"%s Informatik", "%s Informatique"}, []string{"%s IT Solutions", "%s Computers"},
		[4]float64{0.05, 0.05, 0.2, 0.7}},
	{"DIY store", 0.18,
		[]string{"Brico %s", "%s Bricolage", "L'Atelier %s", "Comptoir %s", "Maison & Jardin %s"},
		[]string{"Brico %s", "%s Doe-het-zelf"}, []string{"Bricolage %s", "%s Heimwerker"}, []string{"%s DIY", "%s Home & Garden"},
		[4]float64{0.45, 0.15, 0.3, 0.1}},
	{"Electrician", 0.25,
		[]string{"%s Électricité", "Électricité Générale %s", "%s Élec", "Électro %s", "%s Énergies"},
		[]string{"%s Elektro", "Électricité %s"}, []string{"%s Elektro", "%s Électricité"}, []string{"%s Electrical", "%s Electrics"},
		[4]float64{0.15, 0.25, 0.4, 0.2}},
	{"Builder merchant", 0.2,
		[]string{"Matériaux %s", "%s Négoce", "Négoce Bois Matériaux %s", "%s & Fils Matériaux", "Comptoir des Matériaux %s"},
		[]string{"%s Bouwmaterialen", "Matériaux %s"}, []string{"%s Baumaterial", "Matériaux %s"}, []string{"%s Building Supplies", "%s Builders Merchants"},
		[4]float64{0.5, 0.35, 0.1, 0.05}},
	{"Plumber", 0.15,
		[]string{"%s Plomberie Chauffage", "%s Thermique", "Sanitaire %s", "%s Climatisation"},
		[]string{"%s Sanitair", "Chauffage %s"}, []string{"%s Sanitär", "%s Chauffage"}, []string{"%s Plumbing & Heating", "%s Heating"},
		[4]float64{0.4, 0.3, 0.2, 0.1}},
}

// Legal forms by country, with the French ones' frequencies.
var (
	frForms       = []string{"SARL", "SAS", "SA", "EURL", "SASU"}
	frFormWeights = []float64{0.35, 0.35, 0.1, 0.1, 0.1}
	beForms       = []string{"SRL", "BV", "NV", "SA"}
	chForms       = []string{"SA", "AG", "Sàrl", "GmbH"}
)

// abbreviations are how distributors' systems shorten words of company names.
var abbreviations = map[string]string{
	"ELECTRICITE": "ELEC", "INFORMATIQUE": "INFO", "MATERIAUX": "MAT", "BRICOLAGE": "BRICO",
	"PLOMBERIE": "PLOMB", "CHAUFFAGE": "CHAUF", "GENERALE": "GLE", "SYSTEMES": "SYST",
	"SOLUTIONS": "SOL", "NUMERIQUES": "NUM", "SERVICES": "SCES", "CLIMATISATION": "CLIM",
	"THERMIQUE": "THERM", "NEGOCE": "NEG", "BUREAUTIQUE": "BUREAUT", "ENERGIES": "ENERG",
	"RESEAUX": "RES", "SANITAIRE": "SANIT", "COMPTOIR": "CPTR", "MAISON": "MAIS",
}

// End customers that resellers name on project sales (BRAVO reports them).
var (
	frEndCustomers = []string{"Mairie de %s", "Centre Hospitalier de %s", "Lycée professionnel de %s",
		"Communauté d'agglomération de %s", "Office HLM de %s"}
	ukEndCustomers = []string{"%s City Council", "%s University", "NHS Trust %s"}
)
