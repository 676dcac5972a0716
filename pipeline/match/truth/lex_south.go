package truth

// Spanish (Spain) and Italian (Italy, Ticino).

var langES = &language{
	code: "es",
	templates: map[string][]template{
		"elec": tpl("Electricidad|{S}", "Instalaciones Eléctricas|{S}", "{S}|Electricidad", "Electro|{S}",
			"{A}|Electricidad", "Electricidad|{C}"),
		"hardware": tpl("Ferretería|{S}", "Ferretería|{C}", "Ferretería|{P}", "Suministros Industriales|{S}"),
		"diy":      tpl("Bricolaje|{S}", "Brico|{S}", "{C}|Bricolaje"),
		"plumbing": tpl("Fontanería|{S}", "Fontanería y Calefacción|{S}", "Saneamientos|{S}", "{A}|Fontanería"),
		"it":       tpl("Informática|{S}", "{A}|Informática", "{S}|Sistemas", "{C}|Informática", "Soluciones Informáticas|{S}"),
		"garden":   tpl("Viveros|{S}", "Garden|{S}", "Jardinería|{S}", "Vivero|{C}"),
		"bike":     tpl("Bicicletas|{S}", "Ciclos|{S}", "{S}|Bikes", "Bicicletas|{C}"),
		"building": tpl("Materiales de Construcción|{S}", "Almacenes|{S}", "{S}|Materiales"),
		"garage":   tpl("Talleres|{S}", "Taller|{S}", "Automóviles|{S}"),
		"paint":    tpl("Pinturas|{S}", "Droguería|{S}"),
	},
	places:   []string{"del Centro", "de la Plaza", "del Puerto", "del Mercado"},
	prefixes: []string{"Hermanos", "Hnos.", "Comercial", "Distribuciones"},
	suffixes: []string{"e Hijos", "~y Cía", "Hermanos", "y {S2}", "~y Asociados"},
	nameAbbr: abbrs("Hermanos=Hnos.", "y=&", "Compañía=Cía.", "Cía=Cía.", "Distribuciones=Distrib.", "Electricidad=Elect.",
		"Instalaciones=Inst.", "Materiales=Mat.", "Sociedad=Soc.", "Comercial=Cial.", "Suministros=Sum.",
		"Construcción=Constr."),
	addrAbbr: abbrs("Calle=C/", "Avenida=Avda.", "Plaza=Pza.", "Paseo=Pº", "Polígono Industrial=Pol. Ind.",
		"Carretera=Ctra.", "nave=nv."),
	ofCity:  func(c string) string { return c },
	street:  spanishStreet,
	renames: []string{"{A} {W}", "Grupo {S}", "{W} {C}"},
}

var esStreets = lines(`Calle Mayor
	Calle Real
	Gran Vía
	Avenida de la Constitución
	Plaza de España
	Calle San Juan
	Calle Cervantes
	Avenida de Goya
	Calle del Carmen
	Calle de la Paz
	Avenida de los Reyes Católicos
	Paseo de Colón
	Calle Santa Ana
	Calle Nueva
	Calle de la Iglesia
	Avenida de Andalucía
	Avenida Juan Carlos I
	Calle del Sol
	Paseo de la Castellana
	Calle Alcalá`)

// spanishStreet writes "Calle Mayor, 12" or "Polígono Industrial Las Arenas, nave 7".
func spanishStreet(r *rng, c *city) string {
	switch {
	case r.chance(0.1):
		return "Polígono Industrial " + pick(r, []string{"Las Arenas", "El Pla", "San Isidro", "La Estación", "Los Olivos"}) +
			", nave " + itoa(r.between(1, 40))
	case r.chance(0.04):
		return "Carretera de " + pick(r, []string{"Valencia", "Madrid", "Toledo", "Burgos"}) + ", km " + itoa(r.between(1, 30))
	}
	return pick(r, esStreets) + ", " + itoa(houseNumber(r))
}

var surnamesES = words(`García Rodríguez González Fernández López Martínez Sánchez Pérez Gómez Martín Jiménez Ruiz
	Hernández Díaz Moreno Muñoz Álvarez Romero Alonso Gutiérrez Navarro Torres Domínguez Vázquez Ramos Gil Ramírez
	Serrano Blanco Molina Morales Suárez Ortega Delgado Castro Ortiz Rubio Marín Sanz Núñez Iglesias Medina Garrido
	Cortés Castillo Santos Lozano Guerrero Cano Prieto Méndez Cruz Calvo Gallego Vidal León Márquez Herrera Peña
	Flores Cabrera Campos Vega Fuentes Carrasco Diez Caballero Reyes Nieto Aguilar Pascual Santana Herrero Lorenzo
	Montero Hidalgo Giménez Ibáñez Ferrer Durán Santiago Benítez Mora Vicente Vargas Arias Carmona Crespo Román`)

var nearES = pairs(`González/Gonzálvez Martínez/Martín Sánchez/Sanches Pérez/Peris Gómez/Gámez Díaz/Díez Moreno/Morena
	Muñoz/Muñiz Romero/Romeo Navarro/Navarra Castro/Castor Vidal/Vital Campos/Campo Ferrer/Ferré`)

var formsES = []*legalForm{
	{short: "S.L.", variants: []string{"SL", "S.L"}, group: "sl", weight: 70},
	{short: "S.A.", variants: []string{"SA", "S.A"}, group: "sa", weight: 15},
	{short: "S.L.U.", variants: []string{"SLU", "S.L.U"}, group: "slu", weight: 15},
}

const citiesES = `Madrid|28001,28002,28003,28005,28007,28010,28012,28015,28020,28028,28036,28045|45
Barcelona|08001,08002,08005,08007,08013,08018,08025,08028,08036,08038|30
Valencia|46001-46026:8|14
Sevilla|41001-41020:7|12
Zaragoza|50001-50018:6|12
Málaga|29001-29018:6|10
Murcia|30001-30012:4|8
Palma|07001-07015:5|7
Las Palmas de Gran Canaria|35001-35019:4|6
Bilbao|48001-48015:5|6
Alicante|03001-03016:5|6
Córdoba|14001-14014:4|5
Valladolid|47001-47016:4|5
Vigo|36201-36216:4|5
Gijón|33201-33213:4|4
A Coruña|15001-15011:4|4
Granada|18001-18015:4|4
Vitoria-Gasteiz|01001-01015:4|4
Pamplona|31001-31016:4|3
Santander|39001-39012:3|3
Getafe|28901-28909:3|3
Alcalá de Henares|28801-28807:3|3`

var langIT = &language{
	code: "it",
	templates: map[string][]template{
		"elec": tpl("Impianti Elettrici|{S}", "Elettroforniture|{S}", "{S}|Impianti", "Elettro|{S}", "{S}|Elettrotecnica",
			"{A}|Impianti Elettrici"),
		"hardware": tpl("Ferramenta|{S}", "{S}|Ferramenta", "Ferramenta|{C}", "Ferramenta|{P}"),
		"diy":      tpl("Fai da te|{S}", "Brico|{S}", "{S}|Bricolage"),
		"plumbing": tpl("Idraulica|{S}", "Termoidraulica|{S}", "{S}|Impianti Termoidraulici"),
		"it":       tpl("{S}|Informatica", "{A}|Informatica", "{A}|Sistemi", "{C}|Computer", "Informatica|{S}"),
		"garden":   tpl("Vivai|{S}", "Garden|{S}", "{S}|Giardinaggio", "Centro Giardinaggio|{S}"),
		"bike":     tpl("Cicli|{S}", "{S}|Bici", "Biciclette|{S}", "Cicli|{C}"),
		"building": tpl("Edilizia|{S}", "Materiali Edili|{S}", "{S}|Edilizia"),
		"garage":   tpl("Autofficina|{S}", "Officina|{S}", "Carrozzeria|{S}"),
		"paint":    tpl("Colorificio|{S}", "Vernici|{S}"),
	},
	places:   []string{"del Centro", "della Stazione", "del Borgo"},
	prefixes: []string{"Fratelli", "F.lli", "Ditta", "Eredi"},
	suffixes: []string{"& Figli", "e Figli", "~& C.", "e {S2}", "~Group"},
	nameAbbr: abbrs("Fratelli=F.lli", "e=&", "Figli=F.", "Impianti=Imp.", "Elettrici=Elettr.", "Distribuzione=Distrib.",
		"Società=Soc.", "Materiali=Mat.", "Termoidraulica=Termoidr.", "Elettroforniture=Elettroforn.", "Ditta=D."),
	addrAbbr: abbrs("Via=V.", "Viale=V.le", "Piazza=P.za", "Corso=C.so", "Largo=L.go", "Zona Industriale=Z.I.",
		"San=S.", "Santa=S."),
	ofCity:  func(c string) string { return c },
	street:  italianStreet,
	renames: []string{"{A} {W}", "{S} Group", "{W} {C}"},
}

var itStreetNames = lines(`Roma
	Giuseppe Garibaldi
	Giuseppe Verdi
	Dante Alighieri
	Giuseppe Mazzini
	Cavour
	Vittorio Emanuele II
	Milano
	Torino
	dell'Industria
	dell'Artigianato
	Nazionale
	XX Settembre
	IV Novembre
	della Repubblica
	Giacomo Matteotti
	Antonio Gramsci
	Guglielmo Marconi
	San Francesco
	dei Mille
	Santa Maria`)

var itStreetTypes = words("Via Via Via Via Via Via Via Viale Viale Corso Piazza Largo")

// italianStreet writes "Via Roma 12", "Viale Europa, 45" or "Zona Industriale, Via dell'Artigianato 3".
func italianStreet(r *rng, c *city) string {
	s := pick(r, itStreetTypes) + " " + pick(r, itStreetNames)
	if r.chance(0.4) {
		s += ","
	}
	s += " " + itoa(houseNumber(r))
	if r.chance(0.06) {
		s = "Zona Industriale, " + s
	}
	return s
}

var surnamesIT = names(`Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo Conti
	De_Luca Mancini Costa Giordano Rizzo Lombardi Moretti Barbieri Fontana Santoro Mariani Rinaldi Caruso Ferrara
	Galli Martini Leone Longo Gentile Martinelli Vitale Lombardo Serra Coppola De_Santis D'Angelo Marchetti Parisi
	Villa Conte Ferraro Ferri Fabbri Bianco Marini Grasso Valentini Messina Sala De_Angelis Gatti Pellegrini Palumbo
	Sanna Farina Rizzi Monti Cattaneo Morelli Amato Silvestri Mazza Testa Grassi Pellegrino Carbone Giuliani
	Benedetti Barone Rossetti Caputo Montanari Guerra Palmieri Bernardi Martino Fiore De_Rosa Ferretti Bellini
	Basile Riva Donati Piras Vitali Battaglia Sartori Neri Costantini Milani Pagano Ruggiero Sorrentino`)

var nearIT = pairs(`Rossi/Rosso Russo/Russi Ferrari/Ferraris Esposito/Esposti Bianchi/Bianco Romano/Romani
	Colombo/Colombi Ricci/Rizzi Marino/Marini Greco/Grieco Bruno/Bruni Gallo/Galli Conti/Conte Costa/Costi
	Moretti/Moretto Fontana/Fontani`)

var formsIT = []*legalForm{
	{short: "S.r.l.", variants: []string{"SRL", "Srl", "s.r.l."}, group: "srl", weight: 60},
	{short: "S.p.A.", variants: []string{"SPA", "Spa"}, group: "spa", weight: 8},
	{short: "S.n.c.", variants: []string{"SNC", "snc"}, group: "snc", weight: 16},
	{short: "S.a.s.", variants: []string{"SAS", "sas"}, group: "sas", weight: 16},
}

const citiesIT = `Roma|00118-00199:14|40
Milano|20121-20162:14|30
Napoli|80121-80147:8|16
Torino|10121-10156:8|15
Palermo|90121-90151:6|10
Genova|16121-16167:6|9
Bologna|40121-40141:6|9
Firenze|50121-50145:6|9
Bari|70121-70132:4|7
Catania|95121-95131:4|6
Venezia|30121-30176:4|5
Verona|37121-37142:4|6
Padova|35121-35143:4|5
Trieste|34121-34151:4|4
Brescia|25121-25136:4|5
Parma|43121-43126:3|4
Prato|59100|4
Modena|41121-41126:3|4
Reggio Emilia|42121-42124|4
Perugia|06121-06135:3|3
Bergamo|24121-24129:3|3
Monza|20900|3
Vicenza|36100|3`
