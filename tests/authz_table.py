"""What every persona gets from every URL in every object scope: the written table the
authorization matrix (``tests/test_matrix.py``) holds the application to.

One line per URL name, method and scope (``*``: every scope). Columns, in order:

  coord   coordinator of the mechanism          prov    CSO provider
  panel   panel member (a school, not chair)    anal    analyst
  refer   teacher referrer                      dpo     data-protection officer
  pol     police liaison                        admin   administrator
  p4p     police liaison in Passage4prevent     out     coordinator of another mechanism
                                                anon    not signed in

Answers: 200, 302 (redirect, not to sign-in), login (redirect to sign-in), 400 (the form was
refused: the persona got through), 403, 404, 405; ``-`` where the scope has no such object.

How to read the scopes: ``own`` objects concern the persona in their own mechanism (their case,
intervention, request, meeting); ``other`` objects belong to a mechanism they are not in;
``shared`` is a case reached only through an open information request to their agency;
``breakglass`` a case opened with emergency access (where their role may open one).
"""

from __future__ import annotations

from dataclasses import dataclass

COLUMNS = ("coordinator", "panel", "referrer", "police", "police_p4p", "provider", "analyst", "dpo", "admin",
           "outsider", "anonymous")
CLASSES = frozenset({"200", "302", "login", "400", "403", "404", "405", "-"})

TABLE = """
# url name                          method scope      coord panel refer pol   p4p   prov  anal  dpo   admin out   anon

# signing in, language, start page
logout                              POST   *          login login login login login login login login login login login
login                               GET    *          302   302   302   302   302   302   302   302   302   302   200
set_language                        POST   *          302   302   302   302   302   302   302   302   302   302   302
start                               GET    *          200   200   200   200   200   200   200   200   200   200   login
two_factor                          GET    *          302   302   302   302   302   302   302   302   302   302   login
two_factor_enrol                    GET    *          302   302   302   302   302   302   302   302   302   302   login
two_factor_key_options              POST   *          302   302   302   302   302   302   302   302   302   302   login
two_factor_key                      POST   *          302   302   302   302   302   302   302   302   302   302   login
two_factor_recovery                 POST   *          302   302   302   302   302   302   302   302   302   302   login

# sign-in locks: an administrator unlocks the names of their mechanism's members (an empty form is refused)
accounts:locked                     GET    *          403   403   403   403   403   403   403   403   200   403   login
accounts:unlock                     POST   *          403   403   403   403   403   403   403   403   400   403   login

# the account's own second factors: everyone signed in; a key only by its owner (an empty answer is refused)
accounts:security                   GET    *          200   200   200   200   200   200   200   200   200   200   login
accounts:security_key_options       POST   *          200   200   200   200   200   200   200   200   200   200   login
accounts:security_key_add           POST   *          400   400   400   400   400   400   400   400   400   400   login
accounts:recovery_codes_new         POST   *          200   200   200   200   200   200   200   200   200   200   login
accounts:security_key_remove        POST   own        302   404   404   404   404   404   404   404   404   404   login
accounts:security_key_remove        POST   other      404   404   404   404   404   404   404   404   404   404   login
accounts:security_key_remove        POST   shared     -     -     -     -     -     -     -     -     -     -     -
accounts:security_key_remove        POST   breakglass -     -     -     -     -     -     -     -     -     -     -
tokens:list                         GET    *          200   200   200   200   200   200   200   200   200   200   login
tokens:create                       POST   *          400   400   400   400   400   400   400   400   400   400   login
tokens:revoke                       POST   own        302   404   404   404   404   404   404   404   404   404   login
tokens:revoke                       POST   other      404   404   404   404   404   404   404   404   404   404   login
tokens:revoke                       POST   shared     -     -     -     -     -     -     -     -     -     -     -
tokens:revoke                       POST   breakglass -     -     -     -     -     -     -     -     -     -     -

# assessments: starting, editing, signing, comparing; instruments; credentials and the two-signature rule
assessments:compare                 GET    own        200   200   404   404   404   404   404   404   404   404   login
assessments:compare                 GET    other      404   404   404   404   404   404   404   404   404   404   login
assessments:compare                 GET    shared     -     -     -     -     -     -     -     -     -     -     -
assessments:compare                 GET    breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:countersign             POST   own        400   400   404   404   404   404   404   404   404   404   login
assessments:countersign             POST   other      404   404   404   404   404   404   404   404   404   404   login
assessments:countersign             POST   shared     -     -     -     -     -     -     -     -     -     -     -
assessments:countersign             POST   breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:countersign_rule        POST   own        404   404   404   404   404   404   404   404   302   404   login
assessments:countersign_rule        POST   other      404   404   404   404   404   404   404   404   404   404   login
assessments:countersign_rule        POST   shared     -     -     -     -     -     -     -     -     -     -     -
assessments:countersign_rule        POST   breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:credential_revoke       POST   own        400   404   404   404   404   404   404   404   400   404   login
assessments:credential_revoke       POST   other      404   404   404   404   404   404   404   404   404   404   login
assessments:credential_revoke       POST   shared     -     -     -     -     -     -     -     -     -     -     -
assessments:credential_revoke       POST   breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:credentials             GET    *          200   403   403   403   403   403   403   403   200   200   login
assessments:detail                  GET    own        200   200   404   404   404   404   404   404   404   404   login
assessments:detail                  GET    other      404   404   404   404   404   404   404   404   404   404   login
assessments:detail                  GET    shared     -     -     -     -     -     -     -     -     -     -     -
assessments:detail                  GET    breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:discard                 POST   own        400   400   404   404   404   404   404   404   404   404   login
assessments:discard                 POST   other      404   404   404   404   404   404   404   404   404   404   login
assessments:discard                 POST   shared     -     -     -     -     -     -     -     -     -     -     -
assessments:discard                 POST   breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:edit                    GET    own        302   404   404   404   404   404   404   404   404   404   login
assessments:edit                    GET    other      404   404   404   404   404   404   404   404   404   404   login
assessments:edit                    GET    shared     -     -     -     -     -     -     -     -     -     -     -
assessments:edit                    GET    breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:instrument              GET    own        200   200   200   200   200   200   200   200   200   200   login
assessments:instrument              GET    other      200   200   200   200   200   200   200   200   200   200   login
assessments:instrument              GET    shared     -     -     -     -     -     -     -     -     -     -     -
assessments:instrument              GET    breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:instrument_download     GET    own        200   200   200   200   200   200   200   200   200   200   login
assessments:instrument_download     GET    other      200   200   200   200   200   200   200   200   200   200   login
assessments:instrument_download     GET    shared     -     -     -     -     -     -     -     -     -     -     -
assessments:instrument_download     GET    breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:instruments             GET    *          200   200   200   200   200   200   200   200   200   200   login
assessments:intervention_needs      GET    own        200   404   404   404   404   404   404   404   404   404   login
assessments:intervention_needs      GET    other      404   404   404   404   404   404   404   404   404   404   login
assessments:intervention_needs      GET    shared     -     -     -     -     -     -     -     -     -     -     -
assessments:intervention_needs      GET    breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:revise                  POST   own        400   400   404   404   404   404   404   404   404   404   login
assessments:revise                  POST   other      404   404   404   404   404   404   404   404   404   404   login
assessments:revise                  POST   shared     -     -     -     -     -     -     -     -     -     -     -
assessments:revise                  POST   breakglass -     -     -     -     -     -     -     -     -     -     -
assessments:start                   POST   own        302   302   404   302   302   403   404   404   404   404   login
assessments:start                   POST   other      404   404   404   404   404   404   404   404   404   404   login
assessments:start                   POST   shared     302   302   404   302   302   403   404   404   404   404   login
assessments:start                   POST   breakglass 302   302   404   302   302   403   404   404   404   404   login

# cases: referral intake, case list and export, the case page and its actions, deconfliction, requests
cases:deconfliction_answer          POST   own        404   404   404   400   400   404   404   404   404   404   login
cases:deconfliction_answer          POST   other      404   404   404   404   404   404   404   404   404   404   login
cases:deconfliction_answer          POST   shared     -     -     -     -     -     -     -     -     -     -     -
cases:deconfliction_answer          POST   breakglass -     -     -     -     -     -     -     -     -     -     -
cases:deconfliction_queue           GET    *          403   403   403   200   200   403   403   403   403   403   login
cases:deconfliction_request         POST   own        302   403   404   403   403   403   404   404   404   404   login
cases:deconfliction_request         POST   other      404   404   404   404   404   404   404   404   404   404   login
cases:deconfliction_request         POST   shared     302   403   404   403   403   403   404   404   404   404   login
cases:deconfliction_request         POST   breakglass 302   403   404   403   403   403   404   404   404   404   login
cases:detail                        GET    own        200   200   404   200   200   200   404   404   404   404   login
cases:detail                        GET    other      404   404   404   404   404   404   404   404   404   404   login
cases:detail                        GET    shared     200   200   404   200   200   200   404   404   404   404   login
cases:detail                        GET    breakglass 200   200   404   200   200   200   404   404   404   404   login
cases:edit                          GET    own        200   403   404   403   403   403   404   404   404   404   login
cases:edit                          GET    other      404   404   404   404   404   404   404   404   404   404   login
cases:edit                          GET    shared     200   403   404   403   403   403   404   404   404   404   login
cases:edit                          GET    breakglass 200   403   404   403   403   403   404   404   404   404   login
cases:export                        GET    *          200   403   403   200   200   403   403   403   403   200   login
cases:list                          GET    *          200   403   403   200   200   403   403   403   403   200   login
cases:my_referrals                  GET    *          200   200   200   200   200   200   200   200   200   200   login
cases:refer                         GET    *          200   200   200   200   200   200   403   403   403   200   login
cases:referral_received             GET    own        404   404   200   404   404   404   404   404   404   404   login
cases:referral_received             GET    other      404   404   404   404   404   404   404   404   404   404   login
cases:referral_received             GET    shared     404   404   200   404   404   404   404   404   404   404   login
cases:referral_received             GET    breakglass 404   404   200   404   404   404   404   404   404   404   login
cases:request_answer                GET    own        404   200   404   200   200   200   404   404   404   404   login
cases:request_answer                GET    other      404   404   404   404   404   404   404   404   404   404   login
cases:request_answer                GET    shared     404   200   404   200   200   200   404   404   404   404   login
cases:request_answer                GET    breakglass -     -     -     -     -     -     -     -     -     -     -
cases:request_create                POST   own        400   403   404   403   403   403   404   404   404   404   login
cases:request_create                POST   other      404   404   404   404   404   404   404   404   404   404   login
cases:request_create                POST   shared     400   403   404   403   403   403   404   404   404   404   login
cases:request_create                POST   breakglass 400   403   404   403   403   403   404   404   404   404   login
cases:request_inbox                 GET    *          403   200   403   200   200   200   403   403   403   403   login
cases:rerefer                       POST   own        400   403   404   403   403   403   404   404   404   404   login
cases:rerefer                       POST   other      404   404   404   404   404   404   404   404   404   404   login
cases:rerefer                       POST   shared     400   403   404   403   403   403   404   404   404   404   login
cases:rerefer                       POST   breakglass 400   403   404   403   403   403   404   404   404   404   login
cases:transition                    POST   own        400   403   404   403   403   403   404   404   404   404   login
cases:transition                    POST   other      404   404   404   404   404   404   404   404   404   404   login
cases:transition                    POST   shared     400   403   404   403   403   403   404   404   404   404   login
cases:transition                    POST   breakglass 400   403   404   403   403   403   404   404   404   404   login

# governance: emergency access and its review, sharing agreements, sharing a case, withdrawing consent
governance:agreements               GET    *          200   404   404   404   404   404   404   200   404   200   login
governance:breakglass_open          GET    *          404   200   404   200   200   200   404   404   404   404   login
governance:breakglass_review        POST   own        404   404   404   404   404   404   404   400   404   404   login
governance:breakglass_review        POST   other      404   404   404   404   404   404   404   404   404   404   login
governance:breakglass_review        POST   shared     -     -     -     -     -     -     -     -     -     -     -
governance:breakglass_review        POST   breakglass -     -     -     -     -     -     -     -     -     -     -
governance:breakglass_reviews       GET    *          404   404   404   404   404   404   404   200   404   404   login
governance:case_share               POST   own        302   404   404   404   404   404   404   404   404   404   login
governance:case_share               POST   other      404   404   404   404   404   404   404   404   404   404   login
governance:case_share               POST   shared     302   404   404   404   404   404   404   404   404   404   login
governance:case_share               POST   breakglass 302   404   404   404   404   404   404   404   404   404   login
governance:consent_withdraw         POST   own        302   404   404   404   404   404   404   404   404   404   login
governance:consent_withdraw         POST   other      404   404   404   404   404   404   404   404   404   404   login
governance:consent_withdraw         POST   shared     -     -     -     -     -     -     -     -     -     -     -
governance:consent_withdraw         POST   breakglass -     -     -     -     -     -     -     -     -     -     -
# data protection: the DPO's start page, a person's file and its exports, legal holds, erasure, access review
governance:access_review            GET    *          404   404   404   404   404   404   404   200   404   404   login
governance:access_review_mark       POST   *          404   404   404   404   404   404   404   400   404   404   login
governance:dpo_home                 GET    *          404   404   404   404   404   404   404   200   404   404   login
governance:dpo_accesses             GET    own        404   404   404   404   404   404   404   200   404   404   login
governance:dpo_accesses             GET    other      404   404   404   404   404   404   404   404   404   404   login
governance:dpo_accesses             GET    shared     404   404   404   404   404   404   404   200   404   404   login
governance:dpo_accesses             GET    breakglass 404   404   404   404   404   404   404   200   404   404   login
governance:dpo_export_json          GET    own        404   404   404   404   404   404   404   200   404   404   login
governance:dpo_export_json          GET    other      404   404   404   404   404   404   404   404   404   404   login
governance:dpo_export_json          GET    shared     404   404   404   404   404   404   404   200   404   404   login
governance:dpo_export_json          GET    breakglass 404   404   404   404   404   404   404   200   404   404   login
governance:dpo_export_pdf           GET    own        404   404   404   404   404   404   404   200   404   404   login
governance:dpo_export_pdf           GET    other      404   404   404   404   404   404   404   404   404   404   login
governance:dpo_export_pdf           GET    shared     404   404   404   404   404   404   404   200   404   404   login
governance:dpo_export_pdf           GET    breakglass 404   404   404   404   404   404   404   200   404   404   login
governance:dpo_person               GET    own        404   404   404   404   404   404   404   200   404   404   login
governance:dpo_person               GET    other      404   404   404   404   404   404   404   404   404   404   login
governance:dpo_person               GET    shared     404   404   404   404   404   404   404   200   404   404   login
governance:dpo_person               GET    breakglass 404   404   404   404   404   404   404   200   404   404   login
governance:erasure_request          POST   own        404   404   404   404   404   404   404   400   404   404   login
governance:erasure_request          POST   other      404   404   404   404   404   404   404   404   404   404   login
governance:erasure_request          POST   shared     404   404   404   404   404   404   404   400   404   404   login
governance:erasure_request          POST   breakglass 404   404   404   404   404   404   404   400   404   404   login
governance:legal_hold_lift          POST   own        404   404   404   404   404   404   404   400   404   404   login
governance:legal_hold_lift          POST   other      404   404   404   404   404   404   404   404   404   404   login
governance:legal_hold_lift          POST   shared     404   404   404   404   404   404   404   400   404   404   login
governance:legal_hold_lift          POST   breakglass 404   404   404   404   404   404   404   400   404   404   login
governance:legal_hold_place         POST   own        404   404   404   404   404   404   404   400   404   404   login
governance:legal_hold_place         POST   other      404   404   404   404   404   404   404   404   404   404   login
governance:legal_hold_place         POST   shared     404   404   404   404   404   404   404   400   404   404   login
governance:legal_hold_place         POST   breakglass 404   404   404   404   404   404   404   400   404   404   login

# monitoring (aggregates only). Rows taken from the monitoring pages as they answer today;
# to be confirmed by their author.
matching:decide                     POST   own        302   403   404   403   403   403   404   404   404   404   login
matching:decide                     POST   other      404   404   404   404   404   404   404   404   404   404   login
matching:decide                     POST   shared     302   403   404   403   403   403   404   404   404   404   login
matching:decide                     POST   breakglass 302   403   404   403   403   403   404   404   404   404   login
matching:screen                     GET    own        200   403   404   200   403   403   404   404   404   404   login
matching:screen                     GET    other      404   404   404   404   404   404   404   404   404   404   login
matching:screen                     GET    shared     200   403   404   200   403   403   404   404   404   404   login
matching:screen                     GET    breakglass 200   403   404   200   403   403   404   404   404   404   login
matching:undo                       POST   own        302   403   404   403   403   403   404   404   404   404   login
matching:undo                       POST   other      404   404   404   404   404   404   404   404   404   404   login
matching:undo                       POST   shared     -     -     -     -     -     -     -     -     -     -     -
matching:undo                       POST   breakglass -     -     -     -     -     -     -     -     -     -     -
monitoring:activities               GET    *          200   403   403   403   403   403   403   403   403   200   login
monitoring:dashboard                GET    *          200   403   403   403   403   403   200   403   403   200   login
monitoring:export_csv               GET    *          200   403   403   403   403   403   200   403   403   200   login
monitoring:export_xlsx              GET    *          200   403   403   403   403   403   200   403   403   200   login
monitoring:funding                  GET    *          200   403   403   403   403   403   403   403   403   200   login
monitoring:narrative                GET    *          200   403   403   403   403   403   404   403   403   200   login
monitoring:report                   GET    *          200   403   403   403   403   403   200   403   403   200   login
monitoring:report_pdf               GET    *          200   403   403   403   403   403   200   403   403   200   login
monitoring:trainings                GET    *          200   403   403   403   403   403   403   403   403   200   login

# panels: meetings, agenda, attendance, conflicts, votes, decisions
panels:agenda_add                   POST   own        200   302   404   404   404   404   404   404   404   404   login
panels:agenda_add                   POST   other      404   404   404   404   404   404   404   404   404   404   login
panels:agenda_add                   POST   shared     -     -     -     -     -     -     -     -     -     -     -
panels:agenda_add                   POST   breakglass -     -     -     -     -     -     -     -     -     -     -
panels:attendance_record            POST   own        302   302   404   404   404   404   404   404   404   404   login
panels:attendance_record            POST   other      404   404   404   404   404   404   404   404   404   404   login
panels:attendance_record            POST   shared     -     -     -     -     -     -     -     -     -     -     -
panels:attendance_record            POST   breakglass -     -     -     -     -     -     -     -     -     -     -
panels:case_schedule                POST   own        302   404   404   404   404   404   404   404   404   404   login
panels:case_schedule                POST   other      404   404   404   404   404   404   404   404   404   404   login
panels:case_schedule                POST   shared     302   404   404   404   404   404   404   404   404   404   login
panels:case_schedule                POST   breakglass 302   404   404   404   404   404   404   404   404   404   login
panels:conflict_declare             POST   own        200   200   404   404   404   404   404   404   404   404   login
panels:conflict_declare             POST   other      404   404   404   404   404   404   404   404   404   404   login
panels:conflict_declare             POST   shared     -     -     -     -     -     -     -     -     -     -     -
panels:conflict_declare             POST   breakglass -     -     -     -     -     -     -     -     -     -     -
panels:decision_record              POST   own        200   200   404   404   404   404   404   404   404   404   login
panels:decision_record              POST   other      404   404   404   404   404   404   404   404   404   404   login
panels:decision_record              POST   shared     -     -     -     -     -     -     -     -     -     -     -
panels:decision_record              POST   breakglass -     -     -     -     -     -     -     -     -     -     -
panels:detail                       GET    own        200   200   404   404   404   404   404   404   404   404   login
panels:detail                       GET    other      404   404   404   404   404   404   404   404   404   404   login
panels:detail                       GET    shared     -     -     -     -     -     -     -     -     -     -     -
panels:detail                       GET    breakglass -     -     -     -     -     -     -     -     -     -     -
panels:list                         GET    *          200   200   404   404   404   404   404   404   404   200   login
panels:meeting_close                POST   own        200   302   404   404   404   404   404   404   404   404   login
panels:meeting_close                POST   other      404   404   404   404   404   404   404   404   404   404   login
panels:meeting_close                POST   shared     -     -     -     -     -     -     -     -     -     -     -
panels:meeting_close                POST   breakglass -     -     -     -     -     -     -     -     -     -     -
panels:meeting_create               GET    *          200   404   404   404   404   404   404   404   404   200   login
panels:vote_cast                    POST   own        200   200   404   404   404   404   404   404   404   404   login
panels:vote_cast                    POST   other      404   404   404   404   404   404   404   404   404   404   login
panels:vote_cast                    POST   shared     -     -     -     -     -     -     -     -     -     -     -
panels:vote_cast                    POST   breakglass -     -     -     -     -     -     -     -     -     -     -

# reintegration: the household page (by a member's case), handovers to a local team. The matrix's
# world has no households or handovers, so every probe is the 404 of a missing record; the
# persona answers are held by tests/test_reintegration_views.py.
reintegration:handover              GET    own        404   404   404   404   404   404   404   404   404   404   login
reintegration:handover              GET    other      404   404   404   404   404   404   404   404   404   404   login
reintegration:handover              GET    shared     404   404   404   404   404   404   404   404   404   404   login
reintegration:handover              GET    breakglass 404   404   404   404   404   404   404   404   404   404   login
reintegration:handovers             GET    *          200   403   403   403   403   403   403   403   403   200   login
reintegration:custody_record        GET    own        403   403   404   403   403   403   404   404   404   404   login
reintegration:custody_record        GET    other      404   404   404   404   404   404   404   404   404   404   login
reintegration:custody_record        GET    shared     403   403   404   403   403   403   404   404   404   404   login
reintegration:custody_record        GET    breakglass 403   403   404   403   403   403   404   404   404   404   login
reintegration:household             GET    own        200   200   404   200   200   200   404   404   404   404   login
reintegration:household             GET    other      404   404   404   404   404   404   404   404   404   404   login
reintegration:household             GET    shared     404   404   404   404   404   404   404   404   404   404   login
reintegration:household             GET    breakglass 404   404   404   404   404   404   404   404   404   404   login
reintegration:household_handover    GET    own        403   403   404   403   403   403   404   404   404   404   login
reintegration:household_handover    GET    other      404   404   404   404   404   404   404   404   404   404   login
reintegration:household_handover    GET    shared     404   404   404   404   404   404   404   404   404   404   login
reintegration:household_handover    GET    breakglass 404   404   404   404   404   404   404   404   404   404   login
reintegration:household_member_add  GET    own        200   403   404   403   403   403   404   404   404   404   login
reintegration:household_member_add  GET    other      404   404   404   404   404   404   404   404   404   404   login
reintegration:household_member_add  GET    shared     404   404   404   404   404   404   404   404   404   404   login
reintegration:household_member_add  GET    breakglass 404   404   404   404   404   404   404   404   404   404   login
reintegration:household_programme   GET    own        200   403   404   403   403   403   404   404   404   404   login
reintegration:household_programme   GET    other      404   404   404   404   404   404   404   404   404   404   login
reintegration:household_programme   GET    shared     404   404   404   404   404   404   404   404   404   404   login
reintegration:household_programme   GET    breakglass 404   404   404   404   404   404   404   404   404   404   login
reintegration:household_start       GET    own        403   403   404   403   403   403   404   404   404   404   login
reintegration:household_start       GET    other      404   404   404   404   404   404   404   404   404   404   login
reintegration:household_start       GET    shared     403   403   404   403   403   403   404   404   404   404   login
reintegration:household_start       GET    breakglass 403   403   404   403   403   403   404   404   404   404   login
reintegration:phase_enter           GET    own        403   403   404   403   403   403   404   404   404   404   login
reintegration:phase_enter           GET    other      404   404   404   404   404   404   404   404   404   404   login
reintegration:phase_enter           GET    shared     403   403   404   403   403   403   404   404   404   404   login
reintegration:phase_enter           GET    breakglass 403   403   404   403   403   403   404   404   404   404   login
reintegration:pre_release_record    GET    own        403   403   404   403   403   403   404   404   404   404   login
reintegration:pre_release_record    GET    other      404   404   404   404   404   404   404   404   404   404   login
reintegration:pre_release_record    GET    shared     403   403   404   403   403   403   404   404   404   404   login
reintegration:pre_release_record    GET    breakglass 403   403   404   403   403   403   404   404   404   404   login

# support: consent, interventions, sessions, post-exit reviews
support:consent_record              GET    own        200   404   404   404   404   404   404   404   404   404   login
support:consent_record              GET    other      404   404   404   404   404   404   404   404   404   404   login
support:consent_record              GET    shared     200   404   404   404   404   404   404   404   404   404   login
support:consent_record              GET    breakglass 200   404   404   404   404   404   404   404   404   404   login
support:intervention                GET    own        404   404   404   404   404   200   404   404   404   404   login
support:intervention                GET    other      404   404   404   404   404   404   404   404   404   404   login
support:intervention                GET    shared     -     -     -     -     -     -     -     -     -     -     -
support:intervention                GET    breakglass -     -     -     -     -     -     -     -     -     -     -
support:intervention_add            GET    own        200   404   404   404   404   404   404   404   404   404   login
support:intervention_add            GET    other      404   404   404   404   404   404   404   404   404   404   login
support:intervention_add            GET    shared     200   404   404   404   404   404   404   404   404   404   login
support:intervention_add            GET    breakglass 200   404   404   404   404   404   404   404   404   404   login
support:intervention_set_status     POST   own        302   404   404   404   404   404   404   404   404   404   login
support:intervention_set_status     POST   other      404   404   404   404   404   404   404   404   404   404   login
support:intervention_set_status     POST   shared     -     -     -     -     -     -     -     -     -     -     -
support:intervention_set_status     POST   breakglass -     -     -     -     -     -     -     -     -     -     -
support:my_interventions            GET    *          200   200   200   200   200   200   200   200   200   200   login
support:post_exit_review_record     GET    own        200   404   404   404   404   404   404   404   404   404   login
support:post_exit_review_record     GET    other      404   404   404   404   404   404   404   404   404   404   login
support:post_exit_review_record     GET    shared     -     -     -     -     -     -     -     -     -     -     -
support:post_exit_review_record     GET    breakglass -     -     -     -     -     -     -     -     -     -     -
support:session_record              POST   own        404   404   404   404   404   200   404   404   404   404   login
support:session_record              POST   other      404   404   404   404   404   404   404   404   404   404   login
support:session_record              POST   shared     -     -     -     -     -     -     -     -     -     -     -
support:session_record              POST   breakglass -     -     -     -     -     -     -     -     -     -     -
"""


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    scope: str
    expected: dict[str, str]


def _parse(text: str) -> list[Row]:
    rows = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        name, method, scope, *values = line.split()
        if len(values) != len(COLUMNS):
            raise ValueError(f"{name} {scope}: {len(values)} answers for {len(COLUMNS)} personas")
        rows.append(Row(name, method, scope, dict(zip(COLUMNS, values, strict=True))))
    return rows


ROWS = _parse(TABLE)


def names() -> list[str]:
    return sorted({r.name for r in ROWS})


def has(name: str) -> bool:
    return any(r.name == name for r in ROWS)


def method(name: str) -> str | None:
    return next((r.method for r in ROWS if r.name == name), None)


def expected(name: str, scope: str, persona: str) -> str | None:
    exact = next((r for r in ROWS if r.name == name and r.scope == scope), None)
    row = exact or next((r for r in ROWS if r.name == name and r.scope == "*"), None)
    return row.expected[persona] if row is not None else None
