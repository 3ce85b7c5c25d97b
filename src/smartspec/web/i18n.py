"""Interface labels in English and Italian (region and activity names stay as the data has them)."""
from __future__ import annotations

LANGUAGES = ("en", "it")

LABELS: dict[str, tuple[str, str]] = {
    # navigation
    "app_title": ("smartspec: Smart Specialisation", "smartspec: Specializzazione intelligente"),
    "nav_home": ("Home", "Home"),
    "nav_space": ("Activity space", "Spazio delle attività"),
    "nav_compare": ("Compare", "Confronto"),
    "nav_backtest": ("Backtest", "Verifica storica"),
    "nav_downloads": ("Downloads", "Download"),
    "language": ("Language", "Lingua"),
    # home
    "home_intro": ("Explore what Europe's regions are strong in, what they could do next, and with whom.",
                   "Esplora i punti di forza delle regioni europee, cosa potrebbero fare dopo e con chi."),
    "search_region": ("Find a region", "Cerca una regione"),
    "search_placeholder": ("Name or code, e.g. Lombardia, Lombardy, ITC4",
                           "Nome o codice, es. Lombardia, Lombardy, ITC4"),
    "search_button": ("Open", "Apri"),
    "map_colour": ("Colour the map by", "Colora la mappa per"),
    "metric_eci": ("Economic complexity (ECI)", "Complessità economica (ECI)"),
    "metric_diversity": ("Diversity (number of specialisations)", "Diversità (numero di specializzazioni)"),
    "metric_rca": ("Specialisation (RCA) in an activity", "Specializzazione (RCA) in un'attività"),
    "activity": ("Activity", "Attività"),
    "show": ("Show", "Mostra"),
    "map_hint": ("Click a region to open its profile.", "Clicca una regione per aprirne il profilo."),
    "data_note": ("Data", "Dati"),
    "default_region": ("Default region", "Regione predefinita"),
    # region
    "region_profile": ("Region profile", "Profilo regionale"),
    "eci": ("ECI", "ECI"),
    "eci_rank": ("ECI rank", "Posizione ECI"),
    "diversity": ("Diversity", "Diversità"),
    "specialisations": ("Specialisations", "Specializzazioni"),
    "top_specialisations": ("What the region is strong in: top specialisations",
                            "In cosa è forte la regione: principali specializzazioni"),
    "spec_help": ("Location quotient (RCA) of employment: above 1 means the activity's share of the region's "
                  "employment is larger than its share in Europe.",
                  "Quoziente di localizzazione (RCA) dell'occupazione: sopra 1 la quota dell'attività "
                  "nell'occupazione regionale supera la sua quota in Europa."),
    "rank": ("Rank", "Pos."),
    "code": ("Code", "Codice"),
    "name": ("Name", "Nome"),
    "employment": ("Employment", "Occupati"),
    "share": ("Share", "Quota"),
    "rca": ("RCA", "RCA"),
    "rca_change": ("Change since", "Variazione dal"),
    "complexity": ("Complexity (PCI)", "Complessità (PCI)"),
    "density": ("Relatedness density", "Densità di correlazione"),
    "region_on_map": ("The region on the map", "La regione sulla mappa"),
    "competences": ("Systems of competence", "Sistemi di competenza"),
    "competences_help": ("Communities of related activities across sector boundaries, and the region's strength in each.",
                         "Comunità di attività correlate oltre i confini settoriali, e la forza della regione in ciascuna."),
    "opportunities": ("What to target next: diversification opportunities",
                      "Cosa puntare dopo: opportunità di diversificazione"),
    "opp_help": ("Activities the region is not yet specialised in. Right: more related to what the region already does; "
                 "top: more complex. Hover for the strengths that support each one; click to open it.",
                 "Attività in cui la regione non è ancora specializzata. A destra: più correlate a ciò che la regione già fa; "
                 "in alto: più complesse. Passa sopra per i punti di forza che le sostengono; clicca per aprirle."),
    "q_high_high": ("Best bets: related and complex", "Scommesse migliori: correlate e complesse"),
    "q_low_high": ("Ambitious: complex, needs a leap", "Ambiziose: complesse, serve un salto"),
    "q_high_low": ("Safe but limited", "Sicure ma limitate"),
    "q_low_low": ("Least attractive", "Meno attraenti"),
    "ranked_by": ("Ranked by", "Ordinate per"),
    "ranked_probability": ("estimated probability of specialising within 3 years", "probabilità stimata di specializzarsi entro 3 anni"),
    "probability": ("Probability", "Probabilità"),
    "reason_hint": ("Hover a row for the full reasoning.", "Passa sopra una riga per la motivazione completa."),
    "supporting": ("Supported by", "Sostenuta da"),
    "quadrant": ("Quadrant", "Quadrante"),
    "paths": ("How traditional industries get there: transition paths",
              "Come ci arrivano le industrie tradizionali: percorsi di transizione"),
    "paths_help": ("From a traditional sector to an emerging one through stepping-stone activities the region can reach.",
                   "Da un settore tradizionale a uno emergente attraverso attività ponte raggiungibili dalla regione."),
    "niches": ("Cross-sector niches", "Nicchie intersettoriali"),
    "niches_help": ("Pairs of the region's strengths that are linked, with the bridging activities that would integrate their supply chains.",
                    "Coppie di punti di forza della regione collegate, con le attività ponte che integrerebbero le loro filiere."),
    "partners": ("With whom: complementary partner regions", "Con chi: regioni partner complementari"),
    "partners_help": ("Regions that hold the capabilities the region's opportunities need.",
                      "Regioni che possiedono le capacità richieste dalle opportunità della regione."),
    "not_available": ("Not available in this build", "Non disponibile in questa versione"),
    "only_profile_region": ("Computed for the profile region only", "Calcolato solo per la regione del profilo"),
    "open_space": ("See the region on the activity space", "Vedi la regione nello spazio delle attività"),
    "report": ("Region report", "Rapporto regionale"),
    # activity
    "activity_page": ("Activity", "Attività"),
    "where_specialised": ("Where it is specialised", "Dove è specializzata"),
    "related_activities": ("Related activities", "Attività correlate"),
    "proximity": ("Proximity", "Prossimità"),
    "entered_recently": ("Regions that entered it recently", "Regioni entrate di recente"),
    "entered_help": ("Regions not specialised in the first year that are specialised in the last year.",
                     "Regioni non specializzate nel primo anno e specializzate nell'ultimo."),
    "ubiquity": ("Ubiquity (regions specialised)", "Ubiquità (regioni specializzate)"),
    "pci_rank": ("Complexity rank", "Posizione di complessità"),
    "ecosystems": ("S3 ecosystems", "Ecosistemi S3"),
    "region": ("Region", "Regione"),
    "country": ("Country", "Paese"),
    "none": ("None", "Nessuna"),
    # space
    "space_title": ("The activity space", "Lo spazio delle attività"),
    "space_help": ("Each dot is an activity; links join activities that regions tend to be specialised in together. "
                   "Scroll to zoom, hover for names, click to open an activity.",
                   "Ogni punto è un'attività; i collegamenti uniscono attività in cui le regioni tendono a specializzarsi "
                   "insieme. Scorri per ingrandire, passa sopra per i nomi, clicca per aprire un'attività."),
    "colour_by": ("Colour by", "Colora per"),
    "presence": ("Presence of a region", "Presenza di una regione"),
    "ecosystem": ("S3 ecosystem", "Ecosistema S3"),
    "specialised": ("Specialised", "Specializzata"),
    "not_specialised": ("Not specialised", "Non specializzata"),
    "other": ("Other", "Altro"),
    # compare
    "compare_title": ("Compare a network of regions", "Confronta una rete di regioni"),
    "network": ("Network", "Rete"),
    "heatmap_title": ("Specialisations side by side", "Specializzazioni a confronto"),
    "heatmap_help": ("RCA of each member in the activities at least one member is specialised in (darker = stronger).",
                     "RCA di ciascun membro nelle attività in cui almeno un membro è specializzato (più scuro = più forte)."),
    "benchmark_title": ("Network benchmarking", "Benchmarking della rete"),
    "members_nuts2": ("The members' NUTS 2 regions", "Le regioni NUTS 2 dei membri"),
    "complementarity_title": ("Who brings what to whom", "Chi porta cosa a chi"),
    "complementarity_help": ("Gain in relatedness density a member would get in an S3 ecosystem from another member's specialisations.",
                             "Guadagno di densità di correlazione che un membro otterrebbe in un ecosistema S3 dalle specializzazioni di un altro membro."),
    # backtest
    "backtest_title": ("How well do the predictions work? Backtest", "Quanto funzionano le previsioni? Verifica storica"),
    "backtest_help": ("Opportunities ranked with data up to one year are compared with the activities regions actually entered later.",
                      "Le opportunità ordinate con i dati fino a un anno sono confrontate con le attività in cui le regioni sono poi entrate."),
    "bt_test": ("Held-out transition", "Transizione di verifica"),
    "bt_winner": ("Best predictor", "Miglior previsore"),
    "bt_baseline": ("Strongest baseline", "Riferimento più forte"),
    "bt_beats": ("Model beats the baseline", "Il modello batte il riferimento"),
    "bt_train": ("Trained on", "Addestrato su"),
    "bt_cells": ("candidate cells", "celle candidate"),
    "bt_entries": ("entries", "ingressi"),
    "yes": ("yes", "sì"),
    "no": ("no", "no"),
    "precision_curves": ("Precision at the top of the ranking", "Precisione in cima alla classifica"),
    # downloads
    "downloads_title": ("Download every table", "Scarica tutte le tabelle"),
    "table": ("Table", "Tabella"),
    "rows": ("Rows", "Righe"),
    "formats": ("Formats", "Formati"),
    "more_rows": ("more rows (see Downloads)", "altre righe (vedi Download)"),
    "boundaries_credit": ("Boundaries: Eurostat GISCO, © EuroGeographics for the administrative boundaries.",
                          "Confini: Eurostat GISCO, © EuroGeographics per i confini amministrativi."),
    "nuts_geojson": ("NUTS 2 boundaries (GeoJSON)", "Confini NUTS 2 (GeoJSON)"),
    "rest_api": ("REST API (OpenAPI)", "API REST (OpenAPI)"),
    "most_specialised": ("Most specialised regions", "Regioni più specializzate"),
    "not_found": ("Not found", "Non trovato"),
    "did_you_mean": ("Did you mean", "Forse cercavi"),
    "methods_sources": ("Methods and data sources", "Metodi e fonti dei dati"),
}


def translator(lang: str):
    """A function key -> label in ``lang`` (English when unknown)."""
    i = 1 if lang == "it" else 0

    def t(key: str) -> str:
        pair = LABELS.get(key)
        return pair[i] if pair else key

    return t
