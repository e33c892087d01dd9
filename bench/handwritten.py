"""The same national annual table as ``ura.monitoring.queries.collect``, as one SQL statement
written by hand for PostgreSQL (the category lists are spelled out from the same enumerations).

It returns the long table (ref, mechanism, year, quarter, value) that ``collect`` returns, so
the bench can check that both compute the same figures before it times them.
"""

from __future__ import annotations

from ura.cases.models import ConcernType, SourceSector
from ura.monitoring.catalogue import AGE_BANDS, FLOWS, TTD_BANDS
from ura.monitoring.models import ActivityKind, Audience
from ura.people.models import Sex


def _q(s: str) -> str:
    return "'" + s.replace("'", "''") + "'"


def _unpivot(pairs: list[tuple[str, str]]) -> str:
    return ", ".join(f"({_q(ref)}, ({expr})::numeric)" for ref, expr in pairs)


def statement() -> str:
    cohort = [("referrals.all", "count(*)")]
    cohort += [(f"sector.{v}", f"count(*) FILTER (WHERE source_sector = {_q(v)})") for v in SourceSector.values]
    cohort += [(f"concern.{v}", f"count(*) FILTER (WHERE concern_type = {_q(v)})") for v in ConcernType.values]
    cohort += [(f"gender.{v}", f"count(*) FILTER (WHERE sex = {_q(v)})") for v in Sex.values]
    cohort += [(f"age.{k}", f"count(*) FILTER (WHERE age >= {lo} AND age < {hi})") for k, _l, lo, hi in AGE_BANDS]
    cohort += [("age.unknown", "count(*) FILTER (WHERE age IS NULL)"),
               ("age.minors", "count(*) FILTER (WHERE age < 18)"),
               ("referrer.trained", "count(*) FILTER (WHERE referred_by_id IS NOT NULL AND trained)"),
               ("referrer.untrained", "count(*) FILTER (WHERE referred_by_id IS NOT NULL AND NOT trained)"),
               ("referrer.unknown", "count(*) FILTER (WHERE referred_by_id IS NULL)")]
    cohort += [(f"screening.{k}", f"count(*) FILTER (WHERE screened = {_q(k)})")
               for k in ("case_review", "signposted", "no_further_action", "police_led")]
    cohort += [("screening.pending", "count(*) FILTER (WHERE screened IS NULL)"),
               ("funnel.adopted", "count(*) FILTER (WHERE screened = 'case_review' AND adopted)"),
               ("funnel.supported", "count(*) FILTER (WHERE screened = 'case_review' AND adopted AND supported)"),
               ("funnel.exited", "count(*) FILTER (WHERE screened = 'case_review' AND adopted AND supported "
                                 "AND exited)")]
    ttd = [("ttd.all", "count(*)"), ("ttd.days", "sum(gap)")]
    for k, _l, lo, hi in TTD_BANDS:
        cond = " AND ".join(c for c in (f"gap >= {lo}" if lo else "", f"gap <= {hi}" if hi else "") if c) or "true"
        ttd.append((f"ttd.{k}", f"count(*) FILTER (WHERE {cond})"))
    exits = [("exits.exited", "count(*)"),
             ("exits.followed_12", "count(*) FILTER (WHERE exited_on <= %(year_ago)s)"),
             ("exits.rereferred_12", "count(*) FILTER (WHERE exited_on <= %(year_ago)s AND gap <= 365)"),
             ("exits.followed_24", "count(*) FILTER (WHERE exited_on <= %(two_ago)s)"),
             ("exits.rereferred_24", "count(*) FILTER (WHERE exited_on <= %(two_ago)s AND gap <= 730)")]
    rr = [("rr.all", "count(*)"), ("rr.children", "count(*) FILTER (WHERE age < 18)"),
          ("rr.women", "count(*) FILTER (WHERE (age >= 18 OR age IS NULL) AND sex = 'f')"),
          ("rr.men", "count(*) FILTER (WHERE (age >= 18 OR age IS NULL) AND sex = 'm')"),
          ("rr.not_stated", "count(*) FILTER (WHERE (age >= 18 OR age IS NULL) AND sex = 'x')")]
    flows = " ".join(f"WHEN {_q(name)} THEN {_q('flows.' + flow)}" for flow, names in FLOWS.items() for name in names)
    flow_names = ", ".join(_q(n) for names in FLOWS.values() for n in names)
    activity_kinds = " ".join(f"WHEN {_q(v)} THEN {_q('activities.' + v)}" for v in ActivityKind.values)
    audiences = " ".join(f"WHEN {_q(v)} THEN {_q('audience.' + v)}" for v in Audience.values)
    return f"""
WITH mech AS (SELECT id FROM mechanisms_mechanism WHERE country = %(country)s),
cohort AS (
    SELECT c.mechanism_id, extract(year FROM c.referred_on)::int AS y, extract(quarter FROM c.referred_on)::int AS q,
           c.source_sector, c.concern_type, p.sex, c.referred_by_id, c.exited_on IS NOT NULL AS exited,
           CASE WHEN p.birth_date IS NOT NULL AND p.birth_date_precision <> 'unknown'
                THEN extract(year FROM c.referred_on) - extract(year FROM p.birth_date)
                     - CASE WHEN to_char(p.birth_date, 'MMDD') > to_char(c.referred_on, 'MMDD') THEN 1 ELSE 0 END
           END AS age,
           (SELECT t.data ->> 'target' FROM cases_timelineentry t
            WHERE t.case_id = c.id AND t.kind = 'transition' AND t.data ->> 'source' = 'screening' LIMIT 1) AS screened,
           EXISTS (SELECT 1 FROM monitoring_trainingparticipation tp
                   JOIN monitoring_training tr ON tr.id = tp.training_id
                   WHERE tp.user_id = c.referred_by_id AND tr.held_on <= c.referred_on) AS trained,
           EXISTS (SELECT 1 FROM panels_decision d WHERE d.case_id = c.id AND d.outcome = 'adopt') AS adopted,
           EXISTS (SELECT 1 FROM support_intervention i WHERE i.case_id = c.id) AS supported
    FROM cases_case c JOIN people_person p ON p.id = c.person_id
    WHERE c.mechanism_id IN (SELECT id FROM mech) AND c.referred_on BETWEEN %(start)s AND %(end)s
),
cohort_table AS (
    SELECT mechanism_id, y, q, v.ref, v.n FROM (
        SELECT mechanism_id, y, q, {", ".join(f'{expr} AS c{i}' for i, (_r, expr) in enumerate(cohort))}
        FROM cohort GROUP BY mechanism_id, y, q) a
    CROSS JOIN LATERAL (VALUES {_unpivot([(ref, f"a.c{i}") for i, (ref, _e) in enumerate(cohort)])}) v(ref, n)
),
decision_table AS (
    SELECT c.mechanism_id, extract(year FROM d.decided_at AT TIME ZONE %(tz)s)::int AS y,
           extract(quarter FROM d.decided_at AT TIME ZONE %(tz)s)::int AS q,
           (CASE WHEN a.purpose = 'decision' THEN 'decisions.' ELSE 'reviews.' END) || r.o AS ref,
           count(*)::numeric AS n
    FROM panels_decision d JOIN cases_case c ON c.id = d.case_id JOIN panels_agendaitem a ON a.id = d.item_id
    CROSS JOIN LATERAL (VALUES (d.outcome), ('all')) r(o)
    WHERE c.mechanism_id IN (SELECT id FROM mech) AND d.decided_at >= %(start_at)s AND d.decided_at < %(end_at)s
    GROUP BY 1, 2, 3, 4
),
ttd_table AS (
    SELECT mechanism_id, y, q, v.ref, v.n FROM (
        SELECT mechanism_id, y, q, {", ".join(f'{expr} AS c{i}' for i, (_r, expr) in enumerate(ttd))}
        FROM (SELECT c.mechanism_id, extract(year FROM c.decided_on)::int AS y,
                     extract(quarter FROM c.decided_on)::int AS q, c.decided_on - c.referred_on AS gap
              FROM cases_case c
              WHERE c.mechanism_id IN (SELECT id FROM mech) AND c.decided_on BETWEEN %(start)s AND %(end)s) g
        GROUP BY mechanism_id, y, q) a
    CROSS JOIN LATERAL (VALUES {_unpivot([(ref, f"a.c{i}") for i, (ref, _e) in enumerate(ttd)])}) v(ref, n)
),
intervention AS (
    SELECT c.mechanism_id, extract(year FROM i.starts_on)::int AS y, extract(quarter FROM i.starts_on)::int AS q,
           it.code, ag.type AS provider_type, i.status, i.funding_source, i.cost, i.case_id
    FROM support_intervention i JOIN cases_case c ON c.id = i.case_id
    JOIN support_interventiontype it ON it.id = i.type_id JOIN mechanisms_agency ag ON ag.id = i.provider_id
    WHERE c.mechanism_id IN (SELECT id FROM mech) AND i.starts_on BETWEEN %(start)s AND %(end)s
),
intervention_table AS (
    SELECT mechanism_id, y, q, r.ref, sum(r.n) AS n
    FROM intervention
    CROSS JOIN LATERAL (VALUES ('interventions.all', 1::numeric), ('interventions.' || code, 1),
                               ('provider.' || provider_type, 1), ('completion.' || status, 1),
                               ('funding.' || funding_source, 1), ('cost.' || funding_source, cost),
                               ('cost.total', cost)) r(ref, n)
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT mechanism_id, y, q, 'completion.ended', count(*) FROM intervention
    WHERE status IN ('completed', 'stopped') GROUP BY 1, 2, 3
    UNION ALL
    SELECT mechanism_id, y, 0, r.ref, r.n FROM (
        SELECT mechanism_id, y, count(DISTINCT case_id) AS cases, sum(cost) AS cost FROM intervention GROUP BY 1, 2) a
    CROSS JOIN LATERAL (VALUES ('per_case.cases', a.cases::numeric), ('cost.year', a.cost)) r(ref, n)
),
exit_table AS (
    SELECT mechanism_id, y, q, v.ref, v.n FROM (
        SELECT mechanism_id, y, q, {", ".join(f'{expr} AS c{i}' for i, (_r, expr) in enumerate(exits))}
        FROM (SELECT c.mechanism_id, extract(year FROM c.exited_on)::int AS y,
                     extract(quarter FROM c.exited_on)::int AS q, c.exited_on, n.referred_on - c.exited_on AS gap
              FROM cases_case c LEFT JOIN cases_case n ON n.previous_id = c.id
              WHERE c.mechanism_id IN (SELECT id FROM mech) AND c.exited_on BETWEEN %(start)s AND %(end)s) g
        GROUP BY mechanism_id, y, q) a
    CROSS JOIN LATERAL (VALUES {_unpivot([(ref, f"a.c{i}") for i, (ref, _e) in enumerate(exits)])}) v(ref, n)
),
flow_table AS (
    SELECT c.mechanism_id, extract(year FROM t.at AT TIME ZONE %(tz)s)::int AS y,
           extract(quarter FROM t.at AT TIME ZONE %(tz)s)::int AS q,
           CASE t.data ->> 'transition' {flows} END AS ref, count(*)::numeric AS n
    FROM cases_timelineentry t JOIN cases_case c ON c.id = t.case_id
    WHERE c.mechanism_id IN (SELECT id FROM mech) AND t.kind = 'transition' AND t.at >= %(start_at)s
          AND t.at < %(end_at)s AND t.data ->> 'transition' IN ({flow_names})
    GROUP BY 1, 2, 3, 4
),
rr_table AS (
    SELECT mechanism_id, y, q, v.ref, v.n FROM (
        SELECT mechanism_id, y, q, {", ".join(f'{expr} AS c{i}' for i, (_r, expr) in enumerate(rr))}
        FROM (SELECT p.mechanism_id, extract(year FROM f.first)::int AS y, extract(quarter FROM f.first)::int AS q,
                     p.sex,
                     CASE WHEN p.birth_date IS NOT NULL AND p.birth_date_precision <> 'unknown'
                          THEN extract(year FROM f.first) - extract(year FROM p.birth_date)
                               - CASE WHEN to_char(p.birth_date, 'MMDD') > to_char(f.first, 'MMDD') THEN 1 ELSE 0 END
                     END AS age
              FROM (SELECT c.person_id, min(i.starts_on) AS first
                    FROM support_intervention i JOIN cases_case c ON c.id = i.case_id
                    WHERE c.track = 'reintegration' GROUP BY c.person_id) f
              JOIN people_person p ON p.id = f.person_id
              WHERE p.mechanism_id IN (SELECT id FROM mech) AND f.first BETWEEN %(start)s AND %(end)s) g
        GROUP BY mechanism_id, y, q) a
    CROSS JOIN LATERAL (VALUES {_unpivot([(ref, f"a.c{i}") for i, (ref, _e) in enumerate(rr)])}) v(ref, n)
),
training_table AS (
    SELECT t.mechanism_id, extract(year FROM t.held_on)::int AS y, extract(quarter FROM t.held_on)::int AS q,
           r.ref, sum(r.n) AS n
    FROM monitoring_training t
    CROSS JOIN LATERAL (SELECT count(DISTINCT agency_id) AS agencies FROM monitoring_trainingparticipation
                        WHERE training_id = t.id) a
    CROSS JOIN LATERAL (VALUES ('trainings.held', 1::numeric),
                               ('trainings.joint', CASE WHEN a.agencies >= 2 THEN 1 ELSE 0 END)) r(ref, n)
    WHERE t.mechanism_id IN (SELECT id FROM mech) AND t.held_on BETWEEN %(start)s AND %(end)s
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT t.mechanism_id, extract(year FROM t.held_on)::int, extract(quarter FROM t.held_on)::int, r.ref,
           sum(tp.headcount)
    FROM monitoring_trainingparticipation tp JOIN monitoring_training t ON t.id = tp.training_id
    JOIN mechanisms_agency ag ON ag.id = tp.agency_id
    CROSS JOIN LATERAL (VALUES ('trainings.participants'), ('trainees.' || ag.type)) r(ref)
    WHERE t.mechanism_id IN (SELECT id FROM mech) AND t.held_on BETWEEN %(start)s AND %(end)s
    GROUP BY 1, 2, 3, 4
),
activity_table AS (
    SELECT a.mechanism_id, extract(year FROM a.held_on)::int AS y, extract(quarter FROM a.held_on)::int AS q,
           r.ref, sum(r.n) AS n
    FROM monitoring_activity a
    CROSS JOIN LATERAL (VALUES (CASE a.kind {activity_kinds} END, 1::numeric),
                               (CASE a.audience {audiences} END, a.participants::numeric),
                               ('cost.' || a.funding_source, a.cost), ('cost.total', a.cost),
                               ('cost.activities', a.cost)) r(ref, n)
    WHERE a.mechanism_id IN (SELECT id FROM mech) AND a.held_on BETWEEN %(start)s AND %(end)s
    GROUP BY 1, 2, 3, 4
),
budget_table AS (
    SELECT b.mechanism_id, b.year AS y, 0 AS q, r.ref, sum(b.amount) AS n
    FROM monitoring_budgetline b CROSS JOIN LATERAL (VALUES ('budget.' || b.source), ('budget.total')) r(ref)
    WHERE b.mechanism_id IN (SELECT id FROM mech) AND b.year BETWEEN %(first_year)s AND %(last_year)s
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT b.mechanism_id, b.year, 0, r.ref, r.n FROM (
        SELECT b.mechanism_id, b.year, sum(a.amount) FILTER (WHERE a.activity_id IS NOT NULL) AS act,
               sum(a.amount) FILTER (WHERE a.intervention_id IS NOT NULL) AS inv, count(DISTINCT a.intervention_id) AS n
        FROM monitoring_allocation a JOIN monitoring_budgetline b ON b.id = a.line_id
        WHERE b.mechanism_id IN (SELECT id FROM mech) AND b.year BETWEEN %(first_year)s AND %(last_year)s
        GROUP BY 1, 2) b
    CROSS JOIN LATERAL (VALUES ('alloc.activities', b.act), ('alloc.interventions', b.inv),
                               ('alloc_n.interventions', b.n::numeric)) r(ref, n)
)
SELECT ref, mechanism_id, y, q, sum(n) FROM (
    SELECT * FROM cohort_table UNION ALL SELECT * FROM decision_table UNION ALL SELECT * FROM ttd_table
    UNION ALL SELECT * FROM intervention_table UNION ALL SELECT * FROM exit_table UNION ALL SELECT * FROM flow_table
    UNION ALL SELECT * FROM rr_table UNION ALL SELECT * FROM training_table UNION ALL SELECT * FROM activity_table
    UNION ALL SELECT * FROM budget_table) t
GROUP BY 1, 2, 3, 4
HAVING sum(n) <> 0
"""
