"""What the demo's professionals write: concerns, questions, answers, reasons and notes.

Case content is data in the language the record was kept in (English here), not
interface text, so it is not marked for translation.
"""

from __future__ import annotations

CONCERNS: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "religious": (
        ("Shares videos praising fighters in Syria with classmates and says people who vote are unbelievers.",
         ("material", "ideology_talk")),
        ("Stopped coming to school on Fridays; spends time with older men from an unregistered prayer group.",
         ("absence", "new_contacts")),
        ("Told a teacher that a cousin's travel to Syria was a duty and that he would go too.",
         ("conflict_zone", "ideology_talk")),
        ("Refuses to sit next to girls, tore up a history textbook and calls classmates apostates.",
         ("change", "threats")),
        ("Parents report he has cut contact with friends and watches sermons of a banned preacher at night.",
         ("isolation", "material")),
    ),
    "ethno_nationalist": (
        ("Posted threats against pupils of another community after a football match.", ("threats",)),
        ("Draws symbols of a banned paramilitary group and praises convicted war criminals in class.",
         ("ideology_talk", "material")),
        ("Joined an online group that plans 'revenge' attacks on a neighbouring village.",
         ("new_contacts", "grievance")),
        ("Strong grievance about the family's lost property; speaks of violence as the only answer.",
         ("grievance", "ideology_talk")),
    ),
    "right_wing": (
        ("Shares white-supremacist memes in a gaming chat and talks of a coming 'race war'.",
         ("material", "ideology_talk")),
        ("Wears neo-Nazi symbols; a classmate of migrant background reports being followed home.",
         ("threats", "change")),
        ("Searches for manifestos of mass shooters and asks friends where to buy a weapon.",
         ("material", "ideology_talk")),
    ),
    "left_wing": (
        ("Involved in planning to sabotage a company's vehicles; talks of violence as legitimate protest.",
         ("ideology_talk", "new_contacts")),
    ),
    "other": (
        ("Fascinated with school attacks; draws weapons and names of teachers in a notebook.", ("threats",)),
        ("Mixes conspiracy theories with calls for violence against 'traitors' in online posts.",
         ("material", "grievance")),
        ("Withdrawn since a family death; posts about 'making them pay' without naming anyone.",
         ("isolation", "grievance")),
    ),
}
REINTEGRATION_CONCERNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Returned from the al-Hol camp in Syria in the April 2019 repatriation with her children; needs a "
     "family programme.", ("conflict_zone",)),
    ("Child returned from Syria with the mother; has not been to school for four years.", ("absence",)),
    ("Released from prison after a sentence for taking part in a foreign conflict; two years of probation.",
     ("conflict_zone",)),
    ("Returned from Syria and stood trial; now on conditional release and looking for work.", ("grievance",)),
    ("Released after a sentence for supporting a terrorist organisation online; family asks for help.",
     ("material",)),
)
REFERRER_NAMES = {
    "education": ("School director", "School psychologist", "Class teacher"),
    "police": ("Community police officer",),
    "health": ("Family doctor", "School nurse"),
    "social": ("Social worker",),
    "cso": ("Youth worker of a partner organisation",),
    "family": ("The person's mother", "The person's father", "An older sister", "An uncle"),
    "community": ("Football coach of the local club", "Youth centre worker", "Neighbourhood leader"),
    "religious": ("Imam of the neighbourhood mosque", "Parish priest", "Religious teacher"),
    "justice": ("Probation officer", "Prison social worker", "Juvenile court judge"),
    "other": ("Employer", "Landlord", "Anonymous caller, identity known to the coordinator"),
}
QUESTIONS = {
    "social": ("Is the family known to the centre, and is any protection measure in place?",
               "What is known about the family's situation and income?"),
    "school": ("How are the pupil's attendance, results and behaviour this school year?",
               "Has the school noticed changes in the pupil's friendships or behaviour?"),
    "education": ("Is the child enrolled, and what support does the school offer?",),
    "health": ("Is the person registered with a family doctor, and is any care relevant to support?",),
    "police": ("Is anything known that affects the safety of staff visiting the family?",),
    "probation": ("What are the conditions of release and the probation plan?",),
    "cso": ("Does your organisation know the young person from its activities?",),
    "religious": ("Does the community know the family and could it offer a mentor?",),
}
ANSWERS = (
    "Known since 2021; mother is supportive, father works abroad. No protection measure.",
    "Attendance fell from 95% to 60% since September; results dropped in most subjects.",
    "Registered with the family doctor; nothing relevant to share beyond that.",
    "No safety concern for home visits.",
    "Conditions: report monthly, no contact with co-defendants, attend the programme.",
    "Takes part in our Saturday football; well liked, sometimes angry when talking about politics.",
    "The family receives social assistance; two younger children; housing is overcrowded.",
    "Has a new group of older friends; teachers noticed him reading pamphlets in breaks.",
)
REFUSALS = (
    "Medical confidentiality: we can answer with the person's or guardian's consent.",
    "The request does not state why this information is necessary; please specify.",
)
SIGNPOSTED_TO = (
    "Centre for Social Work – family conflict, not a P/CVE concern",
    "Community mental health centre – anxiety, no extremist ideas",
    "School counsellor – bullying between pupils",
    "Youth centre – leisure activities and peer support",
    "Child protection services – neglect at home",
)
ONWARD_TO = (
    "Community mental health centre",
    "Child protection services",
    "Probation service",
    "Addiction treatment programme",
    "Victim support service",
)
SCREEN_OUT = (
    "The concern was not confirmed by the school or the family.",
    "A misunderstanding between pupils; no sign of radicalisation.",
    "The family already works with the centre for social work; no P/CVE concern.",
)
ESCALATIONS = (
    "Threats against a named teacher; police informed under the escalation protocol.",
    "Signs of preparation for travel to a conflict zone; police take over.",
    "Possession of a weapon reported; the case is now led by the police.",
)
NEEDS = (
    "Needs a trusted adult outside the family, help to stay in school and something meaningful to do after "
    "classes.",
    "Family under strain after the father's unemployment; the young person looks for belonging online.",
    "Isolated since moving schools; identity and belonging questions; low self-esteem.",
    "Needs documents, housing support, psychological care and a way back to school for the children.",
    "Needs work, a stable routine and support with the stigma of a conviction.",
)
RISKS = (
    "Moderate concern: engagement with an extremist group online; no intent or capability seen. "
    "Professional judgement, not a score.",
    "Low concern at present; vulnerabilities outweigh engagement. Reassess at the first review.",
    "Moderate: strong grievance and new contacts; protective family. Professional judgement.",
)
DECISION_REASONS = {
    "adopt": ("Vulnerabilities in the family and school domains; the panel agrees a package of mentoring and "
              "family counselling.",
              "Engagement with extremist material and isolation; support offered with a mentor and education "
              "support."),
    "no_further_action": ("The information gathered does not confirm a P/CVE concern.",),
    "refer_elsewhere": ("The needs are mainly in mental health; referred to the community mental health centre.",),
    "escalate": ("The risk has increased beyond what the mechanism can manage; escalated to the police.",),
    "defer": ("The panel needs the school's and the health centre's information before deciding.",),
    "continue": ("Good attendance at mentoring; continue the package until the next review.",
                 "Progress is slow but steady; continue."),
    "adjust": ("Mentoring works; family counselling added at the mother's request.",),
    "exit": ("Goals of the support plan met; the person and the family agree to end support.",),
    "return": ("New information changes the picture; the case goes back to case review.",),
}
SESSION_NOTES = (
    "Talked about school and football; agreed to attend the Saturday training.",
    "Discussed a video he had shared; he listened and asked questions.",
    "Met with the mother present; family calmer than last month.",
    "Worked on a CV and a plan for the vocational course.",
    "Short session; tired after exams but in good spirits.",
    "Visited the youth centre together; joined the drama group.",
    "Talked about belonging and identity; opened up about the move from abroad.",
)
POST_EXIT_NOTES = (
    "Attends vocational school; no new concern reported by school or family.",
    "In work and in contact with the mentor now and then; no concern.",
    "Family reports things are calm; school confirms good attendance.",
)
POST_EXIT_CONCERN = "The school reports new contacts with the same group and renewed absences."
MINUTES = (
    "Quorum present. Cases discussed in the order of the agenda; decisions and reasons recorded in each case.",
    "All member agencies represented. Conflicts of interest were asked for at the start.",
)
GOALS = {
    "mentoring": "Weekly meetings with a trained mentor; a trusted adult outside the family",
    "psychological": "Counselling to work through anger and loss",
    "family-counselling": "Help the family talk about what worries them",
    "recreation-culture": "Regular sport or arts with peers",
    "education": "Stay in school and catch up in the core subjects",
    "vocational-training": "Complete a vocational course towards a trade",
    "employment": "Find an internship or a first job",
    "socio-economic": "Documents, benefits and stable housing",
    "theological": "Dialogue with a theologian about the ideas that drew the person in",
    "school-registration": "Enrol the child in school",
    "catch-up-learning": "Extra lessons after years out of school",
    "parenting-workshop": "Parenting workshops with other mothers",
    "self-employment-grant": "A small grant and coaching to start a business",
    "health-care": "Registration with a family doctor and a health check",
    "police-contact": "Trust-building meetings with a community police officer",
}
SCHEDULES = ("Mondays 16:00", "Tuesdays after school", "Wednesdays 15:30", "Thursdays 17:00",
             "Every second Friday", "Saturdays 10:00", "Monthly, at the family's home")
POLICE_NOTES = {
    "proceed": "Nothing known that prevents multi-agency support.",
    "pause": "Checks still running; answer within two weeks.",
    "police_led": "Subject of an ongoing investigation; the police take the lead.",
}
CONSENT_SCOPE = "The support package agreed by the panel, and sharing with the providers named in the plan"
PURPOSE = "Needs assessment before the panel decides on support"
WRAP_UP_NOTE = "Followed up within the new episode."
