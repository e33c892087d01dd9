"""The intervention catalogue Ura ships: Kosovo R&R programme elements and the support types
the paper names for referral mechanisms (Gjilan, Channel, Aarhus)."""

from __future__ import annotations

# code, name, description, for_children, for_women
CATALOGUE: tuple[tuple[str, str, str, bool, bool], ...] = (
    ("socio-economic", "Socio-economic support", "Social assistance, housing, benefits and documents", False, False),
    ("psychological", "Psychological support", "Counselling or therapy by a psychologist", False, False),
    ("psychiatric", "Psychiatric care", "Assessment and treatment by a psychiatrist", False, False),
    ("theological", "Theological or ideological support", "Dialogue with a theologian or ideological mentor",
     False, False),
    ("family-counselling", "Family counselling", "Counselling for the family together", False, False),
    ("recreation-culture", "Recreational and cultural activities", "Sport, arts, visits, drama and forum theatre",
     False, False),
    ("mentoring", "Mentoring", "Regular meetings with a trained mentor", False, False),
    ("vocational-training", "Vocational training", "Training towards a trade or qualification", False, False),
    ("employment", "Employment support and internships", "Job search, internships and links with employers",
     False, False),
    ("education", "Education support", "Help to stay in or return to education", False, False),
    ("school-registration", "School registration", "Enrolment of a child in school", True, False),
    ("catch-up-learning", "Catch-up learning", "Extra lessons for a child who missed schooling", True, False),
    ("parenting-workshop", "Parenting workshops", "Group workshops on parenting", False, True),
    ("self-employment-grant", "Self-employment grant", "A small grant to start a business", False, True),
    ("health-care", "Medical care", "Registration with and treatment by a doctor", False, False),
    ("police-contact", "Community police contact", "Trust-building contact with community police", False, False),
)


def catalogue_load(model: type | None = None) -> int:
    """Create or refresh the shipped catalogue; returns how many types were created.

    The data migration calls it with the historical model; tests call it to restore the
    catalogue after a database flush.
    """
    if model is None:
        from ura.support.models import InterventionType

        model = InterventionType
    created = 0
    for code, name, description, for_children, for_women in CATALOGUE:
        _, was_created = model.objects.update_or_create(  # type: ignore[attr-defined]
            code=code, defaults={"name": name, "description": description,
                                 "for_children": for_children, "for_women": for_women})
        created += was_created
    return created
