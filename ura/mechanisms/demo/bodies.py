"""The seven demo mechanisms: one per template, with member agencies and staff.

Agency and organisation names are descriptive and invented for the demo; staff names
are common names of the region. Nothing here describes a real person.
"""

from __future__ import annotations

from dataclasses import dataclass

from ura.mechanisms.models import AgencyType, Level, Role

A = AgencyType


@dataclass(frozen=True)
class AgencySpec:
    key: str
    name: str
    type: str
    votes_on_panel: bool = True
    secondary_actor: bool = False


@dataclass(frozen=True)
class StaffSpec:
    persona: str  # the username is "<persona>.<mechanism slug>"
    role: str
    agency: str
    first_name: str
    last_name: str
    job: str
    is_chair: bool = False


@dataclass(frozen=True)
class MechanismSpec:
    slug: str
    template: str
    name: str
    level: str
    country: str
    place: str
    language: str
    share: float  # of all demo persons
    communities: tuple[tuple[str, float, float], ...]  # community, weight, share written in Cyrillic
    places: tuple[str, ...]
    streets: tuple[str, ...]
    phone_prefix: str
    id_style: str
    legal_basis: tuple[str, ...]
    meeting_weekday: int  # 0 = Monday
    meeting_place: str
    agencies: tuple[AgencySpec, ...]
    staff: tuple[StaffSpec, ...]
    reintegration_share: float = 0.0
    funders: tuple[str, ...] = ("EU", "OSCE", "UNDP")


_ROLES = {"coordinator": Role.COORDINATOR, "referrer": Role.REFERRER, "panel": Role.PANEL_MEMBER,
          "panel2": Role.PANEL_MEMBER, "panel3": Role.PANEL_MEMBER, "panel4": Role.PANEL_MEMBER,
          "provider": Role.PROVIDER, "police": Role.POLICE_LIAISON, "analyst": Role.ANALYST,
          "dpo": Role.DPO, "admin": Role.ADMINISTRATOR}


def _staff(*rows: tuple[str, str, str, str, str]) -> tuple[StaffSpec, ...]:
    """One row per persona: persona, agency key, first name, last name, job. ``panel`` chairs."""
    return tuple(StaffSpec(persona=persona, role=_ROLES[persona], agency=agency, first_name=first,
                           last_name=last, job=job, is_chair=persona == "panel")
                 for persona, agency, first, last, job in rows)


KOSOVO_LAW = ("Law No. 06/L-082 on Protection of Personal Data: a task carried out in the public interest",
              "Memorandum of cooperation of the municipal referral mechanism, information-sharing section",
              "Law No. 02/L-17 on Social and Family Services")

MECHANISMS: tuple[MechanismSpec, ...] = (
    MechanismSpec(
        slug="gjilan", template="gjilan", name="Gjilan/Gnjilane municipal referral mechanism",
        level=Level.MUNICIPAL, country="XK", place="Gjilan/Gnjilane", language="sq", share=0.21,
        communities=(("albanian", 0.8, 0.0), ("serbian", 0.2, 0.5)),
        places=("Gjilan", "Gjilan", "Gjilan", "Zhegër", "Përlepnicë", "Livoç i Epërm", "Ponesh", "Šilovo"),
        streets=("Rr. Skënderbeu", "Rr. Bulevardi i Pavarësisë", "Rr. Idriz Seferi", "Rr. Kadri Zeka",
                 "Rr. Ulpiana", "Rr. Abdullah Tahiri"),
        phone_prefix="+383 4", id_style="xk", legal_basis=KOSOVO_LAW, meeting_weekday=1,
        meeting_place="Municipal building, meeting room 3",
        agencies=(
            AgencySpec("municipality", "Municipality of Gjilan – Office for Public Safety", A.MUNICIPALITY),
            AgencySpec("council", "Municipal Community Safety Council, Gjilan", A.MUNICIPALITY,
                       votes_on_panel=False),
            AgencySpec("police", "Kosovo Police – Gjilan Regional Directorate", A.POLICE, votes_on_panel=False),
            AgencySpec("school", "Upper Secondary School “Gjon Buzuku”, Gjilan", A.SCHOOL),
            AgencySpec("education", "Municipal Directorate of Education, Gjilan", A.SCHOOL),
            AgencySpec("social", "Centre for Social Work, Gjilan", A.SOCIAL),
            AgencySpec("health", "Main Family Medicine Centre, Gjilan", A.HEALTH),
            AgencySpec("religious", "Islamic Community Council, Gjilan", A.RELIGIOUS),
            AgencySpec("cso", "Youth centre “Hapa të Rinj”", A.CSO, votes_on_panel=False),
        ),
        staff=_staff(
            ("coordinator", "municipality", "Arta", "Hyseni", "Municipal safety officer"),
            ("referrer", "school", "Blerim", "Mustafa", "Teacher"),
            ("panel", "municipality", "Fatos", "Rexhepi", "Director of public services"),
            ("panel2", "education", "Mimoza", "Ajeti", "School inspector"),
            ("panel3", "social", "Driton", "Salihu", "Social worker"),
            ("panel4", "health", "Jelena", "Stojanović", "Family doctor"),
            ("provider", "cso", "Leonora", "Kelmendi", "Mentor"),
            ("police", "police", "Valon", "Berisha", "Community policing officer"),
            ("analyst", "council", "Besa", "Limani", "Safety council secretary"),
            ("dpo", "municipality", "Egzon", "Halimi", "Data-protection officer"),
            ("admin", "municipality", "Kushtrim", "Bajrami", "IT officer"),
        ),
    ),
    MechanismSpec(
        slug="hani-i-elezit", template="channel", name="Hani i Elezit referral panel (Channel pilot)",
        level=Level.MUNICIPAL, country="XK", place="Hani i Elezit", language="sq", share=0.10,
        communities=(("albanian", 1.0, 0.0),),
        places=("Hani i Elezit", "Hani i Elezit", "Gorancë", "Paldenicë", "Dimcë", "Seçishtë"),
        streets=("Rr. Ramiz Sadiku", "Rr. Dëshmorët e Kombit", "Rr. Hamdi Bajrami", "Rr. Lidhja e Prizrenit"),
        phone_prefix="+383 4", id_style="xk", legal_basis=KOSOVO_LAW, meeting_weekday=3,
        meeting_place="Municipal assembly hall, Hani i Elezit",
        reintegration_share=0.25,
        agencies=(
            AgencySpec("municipality", "Municipality of Hani i Elezit", A.MUNICIPALITY),
            AgencySpec("police", "Kosovo Police – Hani i Elezit station", A.POLICE),
            AgencySpec("school", "Lower Secondary School “Ilaz Thaçi”", A.SCHOOL),
            AgencySpec("education", "Municipal Directorate of Education, Hani i Elezit", A.SCHOOL),
            AgencySpec("social", "Centre for Social Work, Hani i Elezit", A.SOCIAL),
            AgencySpec("health", "Family Medicine Centre, Hani i Elezit", A.HEALTH),
            AgencySpec("probation", "Kosovo Probation Service – Ferizaj office", A.PROBATION),
            AgencySpec("religious", "Islamic Community, Hani i Elezit", A.RELIGIOUS),
            AgencySpec("cso", "CSO “Zëri i të Rinjve”", A.CSO, votes_on_panel=False),
        ),
        staff=_staff(
            ("coordinator", "municipality", "Vjosa", "Kryeziu", "Channel coordinator"),
            ("referrer", "school", "Ilir", "Sadiku", "Teacher"),
            ("panel", "municipality", "Naim", "Xhemaili", "Deputy mayor, panel chair"),
            ("panel2", "social", "Qëndresa", "Imeri", "Social worker"),
            ("panel3", "education", "Bujar", "Emini", "Education officer"),
            ("panel4", "police", "Astrit", "Osmani", "Police sergeant"),
            ("provider", "cso", "Dafina", "Maliqi", "Mentor"),
            ("police", "police", "Fitim", "Syla", "Community policing officer"),
            ("analyst", "municipality", "Erza", "Aliu", "Municipal planning officer"),
            ("dpo", "municipality", "Labinot", "Bytyqi", "Data-protection officer"),
            ("admin", "municipality", "Agon", "Hasani", "IT officer"),
        ),
    ),
    MechanismSpec(
        slug="kumanovo", template="passage4prevent", name="Kumanovo local prevention mechanism (Passage4prevent)",
        level=Level.MUNICIPAL, country="MK", place="Kumanovo", language="mk", share=0.15,
        communities=(("macedonian", 0.55, 0.6), ("albanian", 0.4, 0.0), ("serbian", 0.05, 0.5)),
        places=("Kumanovo", "Kumanovo", "Kumanovo", "Romanovce", "Klečovce", "Lopate", "Tabanovce"),
        streets=("ul. Goce Delčev", "ul. 11 Oktomvri", "ul. Done Božinov", "ul. Ilindenska", "bul. Trgovska"),
        phone_prefix="+389 7", id_style="embg", meeting_weekday=2,
        legal_basis=("Law on Personal Data Protection (2020): a task carried out in the public interest",
                     "Passage4prevent referral protocol, information-sharing section",
                     "Law on Social Protection"),
        meeting_place="Municipality of Kumanovo, small hall",
        agencies=(
            AgencySpec("municipality", "Municipality of Kumanovo – Local Prevention Council", A.MUNICIPALITY),
            AgencySpec("police", "Ministry of Interior – Kumanovo Police Station", A.POLICE, votes_on_panel=False),
            AgencySpec("school", "Municipal Secondary School “Goce Delčev”, Kumanovo", A.SCHOOL),
            AgencySpec("education", "Municipality of Kumanovo – Education Department", A.SCHOOL),
            AgencySpec("social", "Inter-municipal Centre for Social Work, Kumanovo", A.SOCIAL),
            AgencySpec("health", "Public Health Centre Kumanovo", A.HEALTH),
            AgencySpec("religious", "Islamic Religious Community – Kumanovo Mufti's Office", A.RELIGIOUS),
            AgencySpec("orthodox", "Macedonian Orthodox Church – Kumanovo deanery", A.RELIGIOUS),
            AgencySpec("cso", "Youth association “Most”", A.CSO, votes_on_panel=False),
        ),
        staff=_staff(
            ("coordinator", "municipality", "Елена", "Стојановска", "Prevention coordinator"),
            ("referrer", "school", "Besnik", "Zeqiri", "Teacher"),
            ("panel", "municipality", "Goran", "Trajkovski", "Head of the prevention council"),
            ("panel2", "social", "Билјана", "Ристовска", "Social worker"),
            ("panel3", "education", "Arbër", "Ramadani", "Education adviser"),
            ("panel4", "health", "Dejan", "Mitrevski", "Psychologist"),
            ("provider", "cso", "Simona", "Angelovska", "Youth worker"),
            ("police", "police", "Зоран", "Спасовски", "Community policing inspector"),
            ("analyst", "municipality", "Katerina", "Ilievska", "Analyst"),
            ("dpo", "municipality", "Vlatko", "Arsovski", "Data-protection officer"),
            ("admin", "municipality", "Florent", "Selimi", "IT officer"),
        ),
    ),
    MechanismSpec(
        slug="novi-pazar", template="novi_pazar", name="Novi Pazar city referral mechanism",
        level=Level.MUNICIPAL, country="RS", place="Novi Pazar", language="sr-latn", share=0.15,
        communities=(("bosniak", 0.7, 0.0), ("serbian", 0.3, 0.5)),
        places=("Novi Pazar", "Novi Pazar", "Novi Pazar", "Deževa", "Postenje", "Trnava", "Pobrđe"),
        streets=("ul. 28. novembra", "ul. Stevana Nemanje", "ul. Lukinog Gata", "ul. Rifata Burdževića",
                 "ul. Kej skopskih žrtava"),
        phone_prefix="+381 6", id_style="jmbg", meeting_weekday=3,
        legal_basis=("Law on Personal Data Protection (2018): a task in the public interest",
                     "Law on Social Protection: cooperation of institutions",
                     "Agreement on the city referral mechanism (2018)"),
        meeting_place="Centre for Social Work, conference room",
        agencies=(
            AgencySpec("social", "Centre for Social Work Novi Pazar", A.SOCIAL),
            AgencySpec("police", "Police Department Novi Pazar", A.POLICE, votes_on_panel=False),
            AgencySpec("school", "Gymnasium Novi Pazar", A.SCHOOL),
            AgencySpec("health", "Health Centre Novi Pazar", A.HEALTH),
            AgencySpec("religious", "Islamic community, Novi Pazar", A.RELIGIOUS),
            AgencySpec("orthodox", "Serbian Orthodox parish, Novi Pazar", A.RELIGIOUS),
            AgencySpec("cso", "Youth CSO “Sandžak mladih”", A.CSO, votes_on_panel=False),
            AgencySpec("city", "City of Novi Pazar – City Security Council", A.MUNICIPALITY,
                       votes_on_panel=False, secondary_actor=True),
            AgencySpec("education_ministry", "Ministry of Education – School Administration Kraljevo",
                       A.MINISTRY, votes_on_panel=False, secondary_actor=True),
            AgencySpec("labour_ministry", "Ministry of Labour, Employment, Veteran and Social Affairs",
                       A.MINISTRY, votes_on_panel=False, secondary_actor=True),
            AgencySpec("interior_ministry", "Ministry of Interior – Sector for Prevention", A.MINISTRY,
                       votes_on_panel=False, secondary_actor=True),
        ),
        staff=_staff(
            ("coordinator", "social", "Amela", "Hodžić", "Case manager"),
            ("referrer", "school", "Edin", "Muratović", "Teacher"),
            ("panel", "social", "Senad", "Halilović", "Director, Centre for Social Work"),
            ("panel2", "school", "Јована", "Костић", "School psychologist"),
            ("panel3", "health", "Merima", "Kurtović", "Paediatrician"),
            ("panel4", "religious", "Harun", "Mehmedović", "Imam and youth counsellor"),
            ("provider", "cso", "Belma", "Šabotić", "Mentor"),
            ("police", "police", "Милан", "Радић", "Juvenile crime inspector"),
            ("analyst", "city", "Alma", "Gegić", "City security council analyst"),
            ("dpo", "social", "Nedim", "Hamidović", "Data-protection officer"),
            ("admin", "city", "Vladimir", "Savić", "IT officer"),
        ),
    ),
    MechanismSpec(
        slug="aarhus", template="aarhus", name="Aarhus Info-House (Aarhus model)",
        level=Level.MUNICIPAL, country="DK", place="Aarhus", language="en", share=0.12,
        communities=(("danish", 0.6, 0.0), ("bosniak", 0.2, 0.0), ("albanian", 0.2, 0.0)),
        places=("Aarhus V", "Aarhus N", "Brabrand", "Viby J", "Gellerup", "Aarhus C", "Tilst"),
        streets=("Gudrunsvej", "Hasle Ringvej", "Silkeborgvej", "Nørrebrogade", "Viborgvej", "Dortesvej"),
        phone_prefix="+45 2", id_style="cpr", meeting_weekday=2, reintegration_share=0.15,
        legal_basis=("Administration of Justice Act § 115: crime-prevention cooperation (SSP/PSP/KSP)",
                     "Social Services Act § 49 b", "Data Protection Act § 8"),
        meeting_place="Info-House, East Jutland Police, Aarhus",
        funders=("Aarhus Municipality", "Ministry of Immigration and Integration", "EU"),
        agencies=(
            AgencySpec("municipality", "Aarhus Municipality – SSP secretariat", A.MUNICIPALITY),
            AgencySpec("police", "East Jutland Police – Info-House", A.POLICE),
            AgencySpec("school", "Aarhus Municipality – Children and Young People", A.SCHOOL),
            AgencySpec("social", "Aarhus Municipality – Social Services", A.SOCIAL),
            AgencySpec("health", "Region Midtjylland – Child and Adolescent Psychiatry", A.HEALTH),
            AgencySpec("prison", "Danish Prison and Probation Service – Aarhus", A.PRISON),
            AgencySpec("religious", "Aarhus interfaith dialogue forum", A.RELIGIOUS),
            AgencySpec("cso", "Aarhus mentor network", A.CSO, votes_on_panel=False),
        ),
        staff=_staff(
            ("coordinator", "municipality", "Mette", "Sørensen", "Info-House coordinator"),
            ("referrer", "school", "Anders", "Kristensen", "Teacher"),
            ("panel", "municipality", "Lars", "Mortensen", "Head of SSP, chair"),
            ("panel2", "social", "Trine", "Poulsen", "Social worker"),
            ("panel3", "school", "Søren", "Madsen", "School consultant"),
            ("panel4", "police", "Signe", "Rasmussen", "Police commissioner, Info-House"),
            ("provider", "cso", "Amir", "Hadžić", "Mentor"),
            ("police", "police", "Kasper", "Jørgensen", "Prevention officer"),
            ("analyst", "municipality", "Line", "Nielsen", "Analyst"),
            ("dpo", "municipality", "Nikolaj", "Larsen", "Data-protection officer"),
            ("admin", "municipality", "Freja", "Hansen", "IT officer"),
        ),
    ),
    MechanismSpec(
        slug="dprrp", template="dprrp",
        name="Division for Prevention and Reintegration of Radicalised Persons (DPRRP)",
        level=Level.NATIONAL, country="XK", place="Prishtinë/Priština", language="sq", share=0.17,
        communities=(("albanian", 1.0, 0.0),),
        places=("Prishtinë", "Mitrovicë", "Ferizaj", "Kaçanik", "Prizren", "Gjakovë", "Pejë", "Podujevë"),
        streets=("Rr. Agim Ramadani", "Rr. Nëna Terezë", "Rr. Garibaldi", "Rr. Fehmi Agani", "Rr. UÇK"),
        phone_prefix="+383 4", id_style="xk", legal_basis=KOSOVO_LAW, meeting_weekday=0,
        meeting_place="Ministry of Internal Affairs, DPRRP meeting room", reintegration_share=1.0,
        funders=("EU", "USAID", "IOM", "GCERF"),
        agencies=(
            AgencySpec("division", "Ministry of Internal Affairs – DPRRP", A.MINISTRY),
            AgencySpec("coordinator_office", "Office of the National Coordinator for P/CVE", A.MINISTRY,
                       votes_on_panel=False),
            AgencySpec("police", "Kosovo Police – Counter-Terrorism Directorate", A.POLICE),
            AgencySpec("prison", "Kosovo Correctional Service", A.PRISON),
            AgencySpec("probation", "Kosovo Probation Service", A.PROBATION),
            AgencySpec("social", "Centre for Social Work, Prishtinë", A.SOCIAL),
            AgencySpec("health", "University Clinical Centre of Kosovo – Psychiatry Clinic", A.HEALTH),
            AgencySpec("school", "Municipal Directorate of Education, Prishtinë", A.SCHOOL),
            AgencySpec("religious", "Islamic Community of Kosovo", A.RELIGIOUS),
            AgencySpec("cso", "Reintegration CSO “Rruga e Re”", A.CSO, votes_on_panel=False),
        ),
        staff=_staff(
            ("coordinator", "division", "Teuta", "Gashi", "Reintegration case manager"),
            ("referrer", "probation", "Lulzim", "Morina", "Probation officer"),
            ("panel", "division", "Përparim", "Shala", "Head of division"),
            ("panel2", "police", "Gëzim", "Krasniqi", "Counter-terrorism officer"),
            ("panel3", "social", "Valbona", "Rama", "Social worker"),
            ("panel4", "probation", "Ardit", "Hoxha", "Senior probation officer"),
            ("provider", "cso", "Mirlinda", "Zeqiri", "Psychosocial counsellor"),
            ("police", "police", "Bekim", "Sylejmani", "Police liaison officer"),
            ("analyst", "coordinator_office", "Elira", "Kelmendi", "Policy analyst"),
            ("dpo", "division", "Visar", "Ahmeti", "Data-protection officer"),
            ("admin", "division", "Uran", "Berisha", "IT officer"),
        ),
    ),
    MechanismSpec(
        slug="elbasan-lsc", template="local_safety_council", name="Elbasan Local Safety Council",
        level=Level.MUNICIPAL, country="AL", place="Elbasan", language="sq", share=0.10,
        communities=(("albania", 1.0, 0.0),),
        places=("Elbasan", "Elbasan", "Cërrik", "Belsh", "Shirgjan", "Papër"),
        streets=("Rr. Qemal Stafa", "Bulevardi Qemal Stafa", "Rr. Aqif Pasha", "Rr. Rinia", "Rr. Kristoforidhi"),
        phone_prefix="+355 6", id_style="al", meeting_weekday=1,
        legal_basis=("Law on Personal Data Protection: a task carried out in the public interest",
                     "Decision of the Municipal Council on the Local Safety Council",
                     "Law No. 18/2017 on the Rights and Protection of the Child"),
        meeting_place="Municipality of Elbasan, council chamber",
        agencies=(
            AgencySpec("municipality", "Municipality of Elbasan", A.MUNICIPALITY),
            AgencySpec("police", "Elbasan Local Police Directorate", A.POLICE, votes_on_panel=False),
            AgencySpec("school", "Regional Directorate of Pre-University Education, Elbasan", A.SCHOOL),
            AgencySpec("social", "Child Protection Unit, Municipality of Elbasan", A.SOCIAL),
            AgencySpec("health", "Public Health Directorate, Elbasan", A.HEALTH),
            AgencySpec("religious", "Muslim Community of Albania – Elbasan branch", A.RELIGIOUS),
            AgencySpec("cso", "CSO “Rinia Aktive”", A.CSO, votes_on_panel=False),
            AgencySpec("centre", "Coordination Centre for Countering Violent Extremism", A.MINISTRY,
                       votes_on_panel=False),
        ),
        staff=_staff(
            ("coordinator", "municipality", "Anila", "Çela", "Local safety council secretary"),
            ("referrer", "school", "Dritan", "Leka", "Teacher"),
            ("panel", "municipality", "Gentian", "Dervishi", "Deputy mayor, council chair"),
            ("panel2", "social", "Eriona", "Kola", "Child protection worker"),
            ("panel3", "school", "Sokol", "Tafaj", "Education specialist"),
            ("panel4", "health", "Manjola", "Bregu", "Public health officer"),
            ("provider", "cso", "Klodiana", "Muça", "Youth worker"),
            ("police", "police", "Arjan", "Shehu", "Community police officer"),
            ("analyst", "centre", "Ledia", "Hysa", "Analyst"),
            ("dpo", "municipality", "Erion", "Gjoni", "Data-protection officer"),
            ("admin", "municipality", "Ergys", "Marku", "IT officer"),
        ),
    ),
)

BY_SLUG = {m.slug: m for m in MECHANISMS}
PERSONAS = ("coordinator", "referrer", "panel", "panel2", "panel3", "panel4", "provider", "police", "analyst",
            "dpo", "admin")
PASSWORD = "ura-demo-2026"


def username(persona: str, slug: str) -> str:
    return f"{persona}.{slug}"
