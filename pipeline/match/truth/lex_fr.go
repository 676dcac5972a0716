package truth

import "strings"

// French: France, and the French-speaking parts of Belgium, Switzerland and Canada.

var langFR = &language{
	code: "fr",
	templates: map[string][]template{
		"elec": tpl("{S}|Électricité", "Électricité|{S}", "Électricité Générale|{S}", "{S}|Électricité Générale",
			"{A}|Électricité", "{C}|Électricité", "Électricité|{P}", "{S}|Elec", "Électricité|{S}"),
		"hardware": tpl("Quincaillerie|{S}", "Quincaillerie|{P}", "{S}|Quincaillerie", "Quincaillerie|{dC}",
			"Quincaillerie|{S}", "Comptoir de la Quincaillerie|{dC}"),
		"diy": tpl("Bricolage|{S}", "{S}|Bricolage", "Brico|{S}", "Espace Bricolage|{dC}", "Bricolage|{P}",
			"{C}|Bricolage", "Bricolage|{S}"),
		"plumbing": tpl("Plomberie|{S}", "{S}|Plomberie Chauffage", "Plomberie Chauffage|{S}", "{S}|Sanitaire Chauffage",
			"{A}|Plomberie", "Chauffage Sanitaire|{dC}", "{S}|Plomberie"),
		"it": tpl("{S}|Informatique", "Informatique|{dC}", "{A}|Informatique", "{C}|Informatique", "{A}|Systèmes",
			"{S}|Micro Informatique", "{A}|Réseaux"),
		"garden": tpl("Jardinerie|{S}", "Jardinerie|{dC}", "{S}|Jardinerie", "Pépinières|{S}", "{S}|Motoculture",
			"Motoculture|{S}", "Jardinerie|{P}"),
		"bike": tpl("Cycles|{S}", "{S}|Cycles", "Vélos|{S}", "Atelier Vélo|{dC}", "{C}|Cycles", "Cycles|{P}"),
		"building": tpl("Matériaux|{S}", "{S}|Matériaux", "Négoce Matériaux|{dC}", "{S}|Bois et Matériaux",
			"Matériaux|{P}"),
		"garage": tpl("Garage|{S}", "Garage|{P}", "{S}|Automobiles", "Garage|{S}", "Garage|{dC}"),
		"paint":  tpl("Droguerie|{S}", "Peintures|{S}", "{S}|Décoration", "Droguerie|{P}", "{S}|Peintures"),
	},
	places: lines(`du Centre
		de la Gare
		du Marché
		de la Poste
		du Port
		des Halles
		de l'Église
		du Pont
		de la Place
		du Château
		des Quatre Routes`),
	prefixes: []string{"Ets", "Établissements", "Ets", "Société", "Société Nouvelle", "Entreprise",
		"Société Nouvelle des Établissements"},
	suffixes: []string{"et Fils", "& Fils", "Frères", "~Distribution", "~& Cie", "et {S2}", "& {S2}", "Père et Fils"},
	nameAbbr: abbrs("Établissements=Ets", "Société=Sté", "Compagnie=Cie", "Électricité=Elec", "Distribution=Distrib",
		"Entreprise=Ent.", "Générale=Gle", "Informatique=Info", "Matériaux=Mat.", "Quincaillerie=Quinc.",
		"Bricolage=Brico", "Chauffage=Chauff.", "Automobiles=Auto", "Nouvelle=Nlle", "Frères=Frs", "et=&",
		"Saint=St", "Sainte=Ste"),
	addrAbbr: abbrs("rue=r.", "avenue=av.", "boulevard=bd", "place=pl.", "route=rte", "chemin=ch.", "impasse=imp.",
		"allée=all.", "Zone Industrielle=ZI", "Zone Artisanale=ZA", "Saint=St", "Sainte=Ste", "Général=Gal",
		"Maréchal=Mal", "Docteur=Dr", "quai=qu."),
	ofCity:  frenchOf,
	street:  frenchStreet,
	renames: []string{"{A} {W}", "{S} Groupe", "{W} {C}", "{S} {W} Services", "{S} et Associés", "Nouvelle {W} {S}"},
}

var frStreetTypes = []string{"rue", "rue", "rue", "rue", "rue", "rue", "rue", "avenue", "avenue", "boulevard",
	"route", "chemin", "place", "impasse", "allée", "quai"}

var frStreetNames = lines(`de la République
	Jean Jaurès
	Victor Hugo
	du Général de Gaulle
	de la Gare
	des Lilas
	Pasteur
	Gambetta
	Nationale
	du Commerce
	de l'Industrie
	des Artisans
	Jules Ferry
	de la Liberté
	du Maréchal Foch
	Émile Zola
	Saint-Martin
	Saint-Jacques
	des Écoles
	du Moulin
	de la Mairie
	du 8 Mai 1945
	du 11 Novembre
	Carnot
	Voltaire
	Anatole France
	de Verdun
	des Tilleuls
	des Acacias
	du Stade
	de la Fontaine
	du Château
	de l'Église
	des Peupliers
	Lafayette
	du Docteur Roux
	Pierre Curie
	Marcel Pagnol
	Denis Papin
	Gustave Eiffel
	des Frères Lumière
	Sainte-Anne
	de Paris
	Édouard Herriot
	Jean Moulin
	de la Paix
	des Forges
	des Vignes
	du Lavoir
	de Bretagne
	Paul Bert`)

var frZones = lines(`Zone Industrielle des Marais
	Zone Industrielle Nord
	Zone Artisanale du Moulin
	Zone Artisanale des Prés
	Zone Industrielle de la Gare
	Zone Artisanale les Grands Champs
	Zone Industrielle Sud`)

// frenchStreet writes "12 rue de la Gare", "3 bis avenue Jean Jaurès" or a business
// park address. In Belgium and Switzerland the number follows the street.
func frenchStreet(r *rng, c *city) string {
	if r.chance(0.09) {
		z := pick(r, frZones)
		if r.chance(0.6) {
			return z + ", " + itoa(houseNumber(r)) + " rue " + pick(r, []string{"de l'Industrie", "des Artisans", "Denis Papin", "Gustave Eiffel"})
		}
		return z
	}
	typ, name := pick(r, frStreetTypes), pick(r, frStreetNames)
	if c.country.code == "BE" || c.country.code == "CH" {
		return strings.ToUpper(typ[:1]) + typ[1:] + " " + name + " " + itoa(houseNumber(r))
	}
	n := itoa(houseNumber(r))
	if r.chance(0.04) {
		n += pick(r, []string{" bis", " ter"})
	}
	return n + " " + typ + " " + name
}

var surnamesFR = words(`Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre
	Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet
	François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin Morin Mathieu
	Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Masson Sanchez Gérard Nguyen Boyer Denis Lemaire Duval
	Joly Gautier Roger Roche Roy Noël Meyer Lucas Meunier Perez Marchand Dufour Blanchard Barbier Brun Dumas
	Brunet Schmitt Leroux Colin Fernandez Renard Arnaud Rolland Caron Aubert Giraud Leclerc Vidal Bourgeois Renaud
	Lemoine Picard Gaillard Philippe Leclercq Lacroix Fabre Dupuis Olivier Rodriguez Hubert Guillot Rivière
	Guillaume Adam Rey Moulin Gonzalez Berger Lecomte Ménard Fleury Deschamps Carpentier Julien Benoît Maillard
	Marchal Aubry Vasseur Renault Jacquet Collet Prévost Poirier Charpentier Royer Huet Baron Dupuy Pons Carré
	Breton Rémy Schneider Perrot Guyot Barré Marty Cousin Kervella Tanguy Goasguen Etcheverry Casanova Bouvier
	Chauvin Besson Lemaître Millet Hamon Texier Jacob Delmas Mallet Gilbert Lebrun Bailly Vallée Hoarau`)

// Near-identical surname pairs for decoys ("Garage Martin" and "Garage Martini").
var nearFR = pairs(`Martin/Martini Bernard/Bernardi Durand/Durant Lefèvre/Lefebvre Girard/Girardot Roux/Leroux
	Blanc/Leblanc Moreau/Moreaux Meyer/Mayer Simon/Simonin Michel/Michelet Laurent/Laurens Garnier/Grenier
	Chevalier/Chevallier Perrin/Perrot Robin/Robinet Renaud/Renault Picard/Picart Gauthier/Gautier
	Brun/Brunet Roy/Roye Marchand/Marchant Colin/Colinet Vidal/Vital`)

var formsFR = []*legalForm{
	{short: "SARL", variants: []string{"S.A.R.L.", "Sarl"}, group: "sarl", weight: 38, prefix: true},
	{short: "SAS", variants: []string{"S.A.S.", "Sas"}, group: "sas", weight: 30, prefix: true},
	{short: "SASU", variants: []string{"S.A.S.U.", "Sasu"}, group: "sasu", weight: 10, prefix: true},
	{short: "EURL", variants: []string{"E.U.R.L.", "Eurl"}, group: "eurl", weight: 12, prefix: true},
	{short: "SA", variants: []string{"S.A."}, group: "sa", weight: 6, prefix: true},
	{short: "SNC", variants: []string{"S.N.C."}, group: "snc", weight: 4, prefix: true},
}

// French cities: name|postcodes|weight. Dense postcodes (business parks) end in "*".
const citiesFR = `Paris|75001-75020|60
Marseille|13001-13016,13010*|30
Lyon|69001-69009,69007*|28
Toulouse|31000,31100*,31200,31300,31400,31500|24
Nice|06000,06100,06200,06300|14
Nantes|44000,44100,44200,44300|15
Strasbourg|67000,67100,67200|12
Montpellier|34000,34070,34080,34090|12
Bordeaux|33000,33100,33200,33300,33800|13
Lille|59000,59160,59260,59800|11
Rennes|35000,35200,35700|10
Reims|51100|7
Le Havre|76600|6
Saint-Étienne|42000,42100|7
Toulon|83000,83100,83200|7
Grenoble|38000,38100|8
Dijon|21000|6
Angers|49000,49100|6
Nîmes|30000,30900|6
Villeurbanne|69100|6
Clermont-Ferrand|63000,63100|6
Le Mans|72000,72100|6
Aix-en-Provence|13090,13100|6
Brest|29200|5
Tours|37000,37100,37200|6
Amiens|80000,80080,80090|5
Limoges|87000,87100,87280|5
Annecy|74000|5
Perpignan|66000,66100|5
Metz|57000,57050,57070|5
Besançon|25000|5
Orléans|45000,45100|5
Rouen|76000,76100|6
Mulhouse|68100,68200|5
Caen|14000|5
Nancy|54000,54100|5
Argenteuil|95100|4
Montreuil|93100|4
Saint-Denis|93200*|5
Roubaix|59100|4
Tourcoing|59200|4
Avignon|84000|4
Poitiers|86000|4
Pau|64000|4
La Rochelle|17000|4
Calais|62100|3
Cannes|06150,06400|3
Béziers|34500|3
Colmar|68000|3
Bourges|18000|3
Quimper|29000|3
Valence|26000|3
Troyes|10000|3
Chambéry|73000|3
Niort|79000|3
Lorient|56100|3
Vannes|56000|3
Saint-Malo|35400|3
Bayonne|64100|3
Chartres|28000|3
Laval|53000|3
Blois|41000|2
Auxerre|89000|2
Nevers|58000|2
Albi|81000|2
Rodez|12000|2
Cahors|46000|2
Agen|47000|2
Mont-de-Marsan|40000|2
Périgueux|24000|2
Angoulême|16000|2
Brive-la-Gaillarde|19100|2
Aurillac|15000|1
Le Puy-en-Velay|43000|1
Montluçon|03100|2
Vichy|03200|2
Mâcon|71000|2
Chalon-sur-Saône|71100|2
Bourg-en-Bresse|01000|2
Gap|05000|2
Ajaccio|20000|2
Bastia|20200|2
Saint-Brieuc|22000|2
Évreux|27000|2
Beauvais|60000|2
Compiègne|60200|2
Saint-Quentin|02100|2
Charleville-Mézières|08000|2
Épinal|88000|2
Belfort|90000|2
Vesoul|70000|1
Châteauroux|36000|2
Tarbes|65000|2
Montauban|82000|2
Carcassonne|11000|2
Alençon|61000|1
Cherbourg-en-Cotentin|50100|2
Arras|62000|2
Dunkerque|59140|3
Valenciennes|59300|2
Douai|59500|2
Lens|62300|2
Saint-Priest|69800*|3
Saint-Herblain|44800*|3
Mérignac|33700*|4
Villeneuve-d'Ascq|59650*|3
Rungis|94150*|1
Illkirch-Graffenstaden|67400|2
Vénissieux|69200|3
Créteil|94000|3
Nanterre|92000|4
Boulogne-Billancourt|92100|4
Versailles|78000|3
Cergy|95000|3
Évry-Courcouronnes|91000|3
Meaux|77100|2
Melun|77000|2`

// Village names are made of a first part and an optional second part.
var villageFirst = words(`Saint-Martin Saint-Julien Saint-Georges Saint-Laurent Saint-Pierre Saint-Jean Saint-Germain
	Saint-Hilaire Saint-Cyr Saint-Genis Sainte-Marie Sainte-Croix Notre-Dame Villeneuve Villefranche Montigny Beaumont
	Fontaine Neuville Mont La_Chapelle Le_Mesnil Châteauneuf Champigny Savigny Marcilly Chavagnes Chambon Vaux
	Bellevue Bonneville Montfort Pontcharra Brignais Plouzané Ploërmel Lanvollon Mauléon Castelnau Roquefort
	Lavaur Mirepoix Cessieu Meyzieu Vourles Genas Brindas`)

var villageSecond = words(`-sur-Loire -sur-Saône -sur-Marne -sur-Mer -le-Vieux -les-Bains -en-Bresse -la-Forêt -du-Bois
	-de-la-Rivière -d'Azergues -le-Château -sous-Bois -en-Vexin -sur-Rhône -en-Provence -les-Vignes -la-Garenne
	-sur-Dordogne -de-Bretagne`)
