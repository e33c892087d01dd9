-- Synthetic national-scale data for the annual-indicators bench. Run by annual_indicators.py
-- with :cases (number of first episodes), :mechs (array of mechanism ids), :users (array of
-- user ids) and :types (array of intervention type ids) set. Deterministic (setseed).
-- Rows with encrypted fields get a vault_id (ura/vault) and leave those fields empty.
SELECT setseed(0.2026);

INSERT INTO people_person (vault_id, given_name, family_name, father_name, birth_date, birth_date_precision, sex, place,
                           address, phone, national_id, guardian_name, guardian_relationship, guardian_contact,
                           created_at, mechanism_id)
SELECT gen_random_uuid(), '', '', '',  -- names are sealed by Ura; aggregates need none
       CASE WHEN r < 0.05 THEN NULL ELSE date '1960-01-01' + (random() * 20000)::int END,
       CASE WHEN r < 0.05 THEN 'unknown' ELSE 'day' END,
       (ARRAY['m', 'm', 'f', 'x'])[1 + i % 4], '', '', '', '', '', '', '', now(),
       (:'mechs'::bigint[])[1 + i % cardinality(:'mechs'::bigint[])]
FROM (SELECT i, random() AS r FROM generate_series(1, :cases) i) g;

WITH base AS (
    SELECT p.id, p.mechanism_id, date '2016-01-01' + (random() * 3650)::int AS ref, random() AS r1, random() AS r2,
           random() AS r3, random() AS r4
    FROM people_person p
)
INSERT INTO cases_case (vault_id, episode, reference, stage, track, referred_on, referrer_name, referrer_contact, source_sector,
                        concern_type, concern, indicators, immediate_danger, summary, needs_summary, risk_summary,
                        signposted_to, onward_to, stage_changed_at, decided_on, exited_on, closed_on, version,
                        submission_key, created_at, coordinator_id, mechanism_id, person_id, previous_id,
                        referred_by_id, referring_agency_id)
SELECT gen_random_uuid(), 1, 'B-' || id, 'closed', CASE WHEN r4 < 0.05 THEN 'reintegration' ELSE 'prevention' END, ref, '', '',
       (ARRAY['education', 'education', 'education', 'police', 'health', 'social', 'religious', 'family', 'community',
              'justice', 'cso', 'other'])[1 + floor(r1 * 12)::int],
       (ARRAY['religious', 'religious', 'ethno_nationalist', 'right_wing', 'left_wing', 'other'])[1 + floor(r2 * 6)::int],
       '', '[]', false, '', '', '', '', '', now(),
       CASE WHEN r3 < 0.4 THEN ref + 5 + (r1 * 120)::int END,
       CASE WHEN r3 < 0.16 THEN ref + 160 + (r2 * 300)::int END,
       NULL, 1, NULL, now(), NULL, mechanism_id, id, NULL,
       CASE WHEN r4 < 0.3 THEN NULL ELSE (:'users'::bigint[])[1 + id % cardinality(:'users'::bigint[])] END, NULL
FROM base;

-- Re-referrals: a new episode of the same person for some of those who exited.
INSERT INTO cases_case (vault_id, episode, reference, stage, track, referred_on, referrer_name, referrer_contact, source_sector,
                        concern_type, concern, indicators, immediate_danger, summary, needs_summary, risk_summary,
                        signposted_to, onward_to, stage_changed_at, decided_on, exited_on, closed_on, version,
                        submission_key, created_at, coordinator_id, mechanism_id, person_id, previous_id,
                        referred_by_id, referring_agency_id)
SELECT gen_random_uuid(), 2, 'R-' || c.id, 'referred', c.track, c.exited_on + 30 + (random() * 700)::int, '', '', 'family',
       c.concern_type, '', '[]', false, '', '', '', '', '', now(), NULL, NULL, NULL, 1, NULL, now(), NULL,
       c.mechanism_id, c.person_id, c.id, c.referred_by_id, NULL
FROM cases_case c WHERE c.exited_on IS NOT NULL AND c.id % 10 = 0;

-- Screening: the gateway's outcome, as the workflow writes it into the timeline.
INSERT INTO cases_timelineentry (at, kind, category, data, actor_id, case_id)
SELECT (referred_on + 3) + time '10:00', 'transition', 'referral',
       jsonb_build_object('transition', 'x', 'source', 'screening', 'target', target), NULL, id
FROM (SELECT c.id, c.referred_on, random() AS r,
             CASE WHEN c.decided_on IS NOT NULL THEN 'case_review'
                  ELSE (ARRAY['signposted', 'no_further_action', 'police_led', 'case_review'])[1 + floor(random() * 4)::int]
             END AS target
      FROM cases_case c) s
WHERE r < 0.92;

-- Returns, onward referrals and escalations.
INSERT INTO cases_timelineentry (at, kind, category, data, actor_id, case_id)
SELECT (c.decided_on + 90) + time '10:00', 'transition', 'referral',
       jsonb_build_object('transition', (ARRAY['review_return', 'escalate', 'refer_onward', 'panel_escalate'])[1 + c.id % 4],
                          'source', 'review', 'target', 'x'), NULL, c.id
FROM cases_case c WHERE c.decided_on IS NOT NULL AND c.id % 7 = 0;

-- One panel meeting a month per mechanism; one agenda item and decision per decided case.
INSERT INTO panels_meeting (vault_id, starts_at, location, status, minutes, version, created_by_id, mechanism_id)
SELECT gen_random_uuid(), month + time '10:00', to_char(month, 'YYYY-MM'), 'held', '', 1, (:'users'::bigint[])[1], m
FROM unnest(:'mechs'::bigint[]) m, generate_series(date '2016-01-01', date '2027-12-01', interval '1 month') month;

INSERT INTO panels_agendaitem (purpose, position, case_id, meeting_id)
SELECT 'decision', 1, c.id, m.id
FROM cases_case c JOIN panels_meeting m ON m.mechanism_id = c.mechanism_id AND m.location = to_char(c.decided_on, 'YYYY-MM')
WHERE c.decided_on IS NOT NULL;

INSERT INTO panels_decision (vault_id, outcome, rule, reasons, tally, decided_at, case_id, decided_by_id, item_id)
SELECT gen_random_uuid(), CASE WHEN random() < 0.8 THEN 'adopt'
            ELSE (ARRAY['no_further_action', 'refer_elsewhere', 'escalate', 'defer'])[1 + floor(random() * 4)::int] END,
       'majority', '', '{}', (c.decided_on + time '12:00') AT TIME ZONE 'Europe/Belgrade', c.id,
       (:'users'::bigint[])[1], a.id
FROM panels_agendaitem a JOIN cases_case c ON c.id = a.case_id;

-- Interventions for adopted cases, from the case's own providers.
CREATE TEMP TABLE bench_provider AS
SELECT mechanism_id, (row_number() OVER (PARTITION BY mechanism_id ORDER BY id) - 1) % 4 AS slot, id
FROM mechanisms_agency;

INSERT INTO support_intervention (vault_id, goal, schedule, starts_on, ends_on, funding_source, funder, cost, status, created_at,
                                  case_id, created_by_id, provider_id, type_id)
SELECT gen_random_uuid(), '', '', c.decided_on + 7 + 10 * k, NULL,
       (ARRAY['donor', 'donor', 'municipal', 'national', 'cso', 'in_kind'])[1 + floor(random() * 6)::int], '',
       round((100 + random() * 1400)::numeric, 2),
       (ARRAY['planned', 'active', 'completed', 'completed', 'stopped'])[1 + floor(random() * 5)::int], now(),
       c.id, (:'users'::bigint[])[1], p.id, (:'types'::bigint[])[1 + (c.id + k) % cardinality(:'types'::bigint[])]
FROM panels_decision d
JOIN cases_case c ON c.id = d.case_id
CROSS JOIN generate_series(1, 2) k
JOIN bench_provider p ON p.mechanism_id = c.mechanism_id AND p.slot = (c.id + k) % 4
WHERE d.outcome = 'adopt' AND (k = 1 OR c.id % 3 = 0);

-- The mechanisms' own work: trainings, activities, budgets.
INSERT INTO monitoring_training (topic, held_on, trainer, place, hours, created_at, created_by_id, mechanism_id)
SELECT 'Training ' || n, date '2016-01-01' + (random() * 3650)::int, 'Trainer', '', 4, now(), (:'users'::bigint[])[1], m
FROM unnest(:'mechs'::bigint[]) m, generate_series(1, 40) n;

INSERT INTO monitoring_trainingparticipation (training_id, agency_id, user_id, headcount)
SELECT t.id, p.id, NULL, 3 + t.id % 9
FROM monitoring_training t JOIN bench_provider p ON p.mechanism_id = t.mechanism_id AND p.slot IN (t.id % 4, (t.id + 1) % 4);

INSERT INTO monitoring_activity (kind, title, held_on, place, audience, participants, other_partners, funding_source,
                                 funder, cost, created_at, created_by_id, mechanism_id)
SELECT (ARRAY['awareness_workshop', 'community_event', 'school_session', 'parents_meeting'])[1 + n % 4], 'Activity', 
       date '2016-01-01' + (random() * 3650)::int, '', (ARRAY['pupils', 'youth', 'parents', 'public'])[1 + n % 4],
       10 + n % 90, '', (ARRAY['donor', 'municipal'])[1 + n % 2], '', 500, now(), (:'users'::bigint[])[1], m
FROM unnest(:'mechs'::bigint[]) m, generate_series(1, 100) n;

INSERT INTO monitoring_budgetline (funder, source, title, year, amount, created_at, created_by_id, mechanism_id)
SELECT f, s, 'Line', y, 20000, now(), (:'users'::bigint[])[1], m
FROM unnest(:'mechs'::bigint[]) m, generate_series(2016, 2026) y,
     (VALUES ('GCERF', 'donor'), ('EU', 'donor'), ('Municipality', 'municipal')) AS v(f, s);

ANALYZE;
