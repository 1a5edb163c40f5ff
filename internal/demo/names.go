package demo

import "strings"

// Name pools. The mix follows what a California Continuum sees: mostly
// common US names, many Hispanic names (often with two surnames), and
// Vietnamese, Hmong, Punjabi, Somali, Ukrainian and Armenian families, so
// that client search meets diacritics, hyphens, apostrophes, particles and
// names that sort or sound alike.

// origin is a naming tradition with its own pools.
type origin struct {
	weight         int
	male, female   []string
	last           []string
	twoSurnames    float64 // chance of a Hispanic-style double surname
	maleMiddle     []string
	femaleMiddle   []string
	race           raceMix
	detail         []string // 3.04.2 answers some give
	sameLastFamily float64  // chance a spouse shares the head's surname
}

// raceMix draws the 3.04 race columns for people of an origin.
type raceMix []weighted[race]

var origins = []origin{
	{ // common US names
		weight: 56,
		male: words(`James Michael Robert John David William Richard Joseph Thomas Christopher Charles Daniel Matthew Anthony Mark
			Donald Steven Andrew Paul Joshua Kenneth Kevin Brian Timothy Ronald George Jason Edward Jeffrey Ryan Jacob Gary
			Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick Frank Raymond
			Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy Walter Christian
			Keith Roger Terry Austin Sean Gerald Carl Harold Dylan Arthur Lawrence Jordan Jesse Bryan Billy Bruce Gabriel Joe
			Logan Alan Juan Albert Willie Elijah Wayne Randy Vincent Mason Roy Ralph Bobby Russell Bradley Philip Eugene
			DeShawn Jamal Tyrone Darnell Marquis Terrell Andre Malik Dashawn Lamar`),
		female: words(`Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret Ashley
			Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Dorothy Rebecca Sharon Laura Cynthia Amy
			Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine Christine Helen Debra Rachel Carolyn
			Janet Maria Catherine Heather Diane Olivia Julie Joyce Victoria Ruth Virginia Lauren Kelly Christina Joan Evelyn
			Judith Andrea Hannah Megan Cheryl Jacqueline Martha Madison Teresa Gloria Sara Janice Ann Kathryn Abigail Sophia
			Frances Jean Alice Judy Isabella Julia Grace Amber Denise Danielle Marilyn Beverly Charlotte Natalie Theresa Diana
			Brittany Doris Kayla Alexis Lori Marie Tamika Latoya Keisha Shanice Aaliyah Imani Ebony Tanisha Jasmine Destiny`),
		last: words(`Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore Martin Jackson Thompson White
			Harris Clark Lewis Robinson Walker Young Allen King Wright Scott Hill Green Adams Nelson Baker Hall Campbell Mitchell
			Carter Roberts Phillips Evans Turner Parker Collins Edwards Stewart Morris Murphy Cook Rogers Morgan Cooper Peterson
			Reed Bailey Bell Kelly Howard Ward Cox Richardson Wood Watson Brooks Bennett Gray James Hughes Price Sanders Myers
			Long Ross Foster Powell Jenkins Perry Russell Sullivan Fisher Henderson Coleman Simmons Patterson Jordan Reynolds
			Hamilton Graham Wallace West Cole Hayes Bryant Gibson Ellis Stevens Murray Ford Marshall Owens McDonald Harrison
			Kennedy Wells Hunt Black Daniels Palmer Mills Nichols Grant Knight Ferguson Stone Hawkins Dunn Perkins Hudson
			Spencer Stephens Payne Pierce Berry Matthews Arnold Wagner Willis Ray Watkins Olson Carroll Duncan Snyder Hart
			Cunningham Bradley Lane Andrews Ruiz O'Brien O'Connor McAllister MacKenzie D'Angelo Van_Dyke St._John DuBois LaFleur
			Washington Jefferson Redcloud Begay Yazzie Tsosie Kealoha Kahale`),
		maleMiddle:     words(`James Lee Michael Allen Wayne Ray Edward Joseph Thomas Scott Dean Lynn Anthony Paul`),
		femaleMiddle:   words(`Marie Ann Lynn Nicole Elizabeth Rose Jean Louise Michelle Renee Grace Kay Dawn`),
		race:           raceMix{{raceWhite, 45}, {raceBlack, 33}, {raceAmInd, 4}, {raceNHPI, 2}, {raceWhiteBlack, 6}, {raceWhiteAmInd, 4}, {raceBlackAmInd, 2}, {raceThreePlus, 2}, {raceMissing, 2}},
		sameLastFamily: 0.6,
	},
	{ // Hispanic and Latin American names
		weight: 27,
		male: words(`José Juan Luis Carlos Jesús Miguel Antonio Francisco Jorge Alejandro Manuel Pedro Rafael Ricardo Fernando
			Javier Roberto Eduardo Daniel Sergio Arturo Héctor Raúl Armando Alberto Víctor Enrique Ramón Mario Óscar Rubén
			Guillermo Gerardo Ernesto Salvador Joaquín Ángel Andrés Santiago Mateo Diego Emiliano Iván Julio César`),
		female: words(`María Guadalupe Juana Margarita Verónica Leticia Rosa Alejandra Patricia Gabriela Adriana Elizabeth Claudia
			Yolanda Ana Sofía Lucía Valentina Camila Ximena Daniela Mariana Fernanda Isabel Carmen Teresa Araceli Silvia
			Lorena Esperanza Dolores Beatriz Rocío Marisol Yesenia Maribel Itzel Paola Jimena Natalia`),
		last: words(`García Rodríguez Martínez Hernández López González Pérez Sánchez Ramírez Torres Flores Rivera Gómez Díaz
			Reyes Cruz Morales Ortiz Gutiérrez Chávez Ramos Ruiz Mendoza Álvarez Castillo Jiménez Vásquez Romero Herrera Medina
			Aguilar Vargas Castro Guzmán Fernández Juárez Moreno Muñoz Salazar Rojas Delgado Contreras Ortega Estrada Núñez
			Ibarra Zúñiga Cervantes Villanueva Peña Soto Cabrera Navarro Espinoza Valdez Cortés Orozco de_la_Cruz de_León`),
		twoSurnames:    0.45,
		maleMiddle:     words(`Luis Antonio Manuel José Carlos Alberto Javier Ángel`),
		femaleMiddle:   words(`Guadalupe Isabel María Elena Fernanda Luisa Del_Carmen`),
		race:           raceMix{{raceHispanic, 55}, {raceHispanicWhite, 30}, {raceHispanicAmInd, 8}, {raceHispanicBlack, 4}, {raceMissing, 3}},
		detail:         words(`Mexican Mexican Mexican Mexican_American Salvadoran Guatemalan Puerto_Rican Honduran Nicaraguan`),
		sameLastFamily: 0.5,
	},
	{ // Vietnamese
		weight:         3,
		male:           words(`Minh Anh Duc Quang Tuan Hung Thanh Huy Long Nam Khoa Bao Phuc Vinh Dung Hieu Trung`),
		female:         words(`Linh Huong Thu Lan Mai Hoa Ngoc Trang Thao Hanh Phuong Nhung Vy Hien Yen Loan Tuyet`),
		last:           words(`Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Truong Dinh`),
		maleMiddle:     words(`Van Van Van Duc Minh Quoc Huu`),
		femaleMiddle:   words(`Thi Thi Thi Ngoc Thanh Kim`),
		race:           raceMix{{raceAsian, 95}, {raceAsianWhite, 3}, {raceMissing, 2}},
		detail:         words(`Vietnamese`),
		sameLastFamily: 0.3,
	},
	{ // Hmong
		weight:         3,
		male:           words(`Pao Tou Chue Kou Fue Tong Neng Chong Xeng Blia Shoua Yeng Ger Vang_Pao Cha`),
		female:         words(`Mai Kia Yer Bao Nou Xee Ka Pa Youa Choua Mai_Yer Song Der Zoua Mee`),
		last:           words(`Vang Xiong Yang Lee Thao Moua Her Lor Vue Chang Hang Lo Cha Khang Kue Yaj`),
		race:           raceMix{{raceAsian, 97}, {raceMissing, 3}},
		detail:         words(`Hmong`),
		sameLastFamily: 0.9,
	},
	{ // Punjabi
		weight:         3,
		male:           words(`Gurpreet Harpreet Manpreet Jaswinder Harjit Balwinder Amandeep Navdeep Rajinder Sukhdev Kulwant Jaspal Gurdeep Parminder Harinder`),
		female:         words(`Simran Harleen Navneet Rajveer Manjit Gurleen Jasleen Kamaljit Parminder Sukhjeet Amrit Baljit`),
		last:           words(`Singh Singh Kaur Sandhu Gill Dhillon Sidhu Grewal Brar Bains Sahota Randhawa Mann Atwal`),
		maleMiddle:     words(`Singh`),
		femaleMiddle:   words(`Kaur`),
		race:           raceMix{{raceAsian, 96}, {raceMissing, 4}},
		detail:         words(`Punjabi Punjabi_Sikh Indian`),
		sameLastFamily: 0.8,
	},
	{ // Somali
		weight:         2,
		male:           words(`Abdi Mohamed Ahmed Hassan Ali Farah Abdirahman Abdullahi Yusuf Omar Ibrahim Mahad Liban Guled`),
		female:         words(`Hodan Fadumo Amina Sahra Hawa Ayaan Ilhan Khadija Faadumo Maryan Sagal Asli Hibaaq Ubah`),
		last:           words(`Abdullahi Mohamud Warsame Jama Osman Hussein Yusuf Omar Abdi Nur Farah Egal Dirie Aden Hirsi`),
		race:           raceMix{{raceBlack, 75}, {raceBlackMENA, 22}, {raceMissing, 3}},
		detail:         words(`Somali`),
		sameLastFamily: 0.2,
	},
	{ // Ukrainian
		weight:         2,
		male:           words(`Oleksandr Andriy Taras Dmytro Bohdan Serhiy Mykola Volodymyr Yuriy Ivan Vasyl Oleh`),
		female:         words(`Olena Oksana Iryna Nataliya Yuliya Tetiana Svitlana Halyna Kateryna Mariya Anastasiya`),
		last:           words(`Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boyko Kovalchuk Moroz Lysenko Savchenko Rudenko Marchenko`),
		race:           raceMix{{raceWhite, 97}, {raceMissing, 3}},
		detail:         words(`Ukrainian`),
		sameLastFamily: 0.8,
	},
	{ // Armenian
		weight:         2,
		male:           words(`Armen Aram Hovhannes Tigran Gevorg Vahe Ashot Narek Davit Karen Hayk Samvel`),
		female:         words(`Ani Anahit Nare Lilit Mariam Armine Gayane Siranush Tatevik Hasmik Lusine Nune`),
		last:           words(`Petrosyan Hovhannisyan Sargsyan Grigoryan Harutyunyan Khachatryan Vardanyan Karapetyan Avetisyan Manukyan Ter-Petrosyan Der-Bedrossian`),
		race:           raceMix{{raceWhite, 60}, {raceMENA, 30}, {raceWhiteMENA, 8}, {raceMissing, 2}},
		detail:         words(`Armenian`),
		sameLastFamily: 0.8,
	},
}

// Suffixes (3.01.4) some men carry.
var suffixes = []weighted[string]{{"Jr.", 6}, {"Sr.", 3}, {"II", 2}, {"III", 2}, {"IV", 1}}

// Street names some people give instead of their name (NameDataQuality 2).
var streetNames = words(`Tiny Red Smokey Lucky Shorty Bear Sunshine Slim Tex Boots Peanut Ace Doc Sarge Cowboy Angel`)

// words splits a pool; "_" joins words that belong together ("de la
// Cruz", "Mai Yer").
func words(s string) []string {
	f := strings.Fields(s)
	for i, w := range f {
		f[i] = strings.ReplaceAll(w, "_", " ")
	}
	return f
}

// originTotal is the sum of the origins' weights.
var originTotal = func() int {
	n := 0
	for _, o := range origins {
		n += o.weight
	}
	return n
}()
