"""Beheer · Gebruikers: list, add, (dis)able, assign wijken, reset passwords, login security."""

import streamlit as st

from signals.db.uow import read_session
from signals.domain import REPORTER_ROLES, ROLE_LABELS, Role
from signals.errors import FieldError, ValidationError
from signals.services import settings, users
from signals.services.wijken import visible_wijken
from signals.ui.feedback import save_and_rerun, show_error, show_flash
from signals.ui.resources import engine_or_stop
from signals.ui.safe import md_escape
from signals.ui.session import require_page

actor = require_page("beheer_gebruikers")
engine = engine_or_stop()
st.title("Gebruikers")
show_flash()

with read_session(engine) as session:
    table = users.list_users(session, actor)
    wijken = {w.code: w.name for w in visible_wijken(session, actor)}
    security = settings.security_settings(session)
    import_limits = settings.import_settings(session)
names = list(table["gebruikersnaam"])


def wijk_label(code: str) -> str:
    return f"{code} · {wijken.get(code, '')}"


def attempt(work, message: str) -> None:  # type: ignore[no-untyped-def]
    save_and_rerun(engine, work, message)


st.dataframe(table, hide_index=True, width="stretch", column_config={
    "gebruikersnaam": st.column_config.TextColumn("Gebruikersnaam"),
    "rol": st.column_config.TextColumn("Rol"),
    "rol_type": st.column_config.TextColumn("Functie", width="medium"),
    "wijken": st.column_config.TextColumn("Wijken"),
    "actief": st.column_config.CheckboxColumn("Actief"),
    "kan_inloggen": st.column_config.CheckboxColumn("Kan inloggen"),
    "geblokkeerd": st.column_config.CheckboxColumn("Tijdelijk geblokkeerd"),
    "sso_email": st.column_config.TextColumn("E-mail (SSO)"),
    "laatst_ingelogd": st.column_config.DatetimeColumn("Laatst ingelogd",
                                                       format="DD-MM-YYYY HH:mm"),
})

add_tab, wijk_tab, active_tab, password_tab, sso_tab, security_tab = st.tabs(
    ["Toevoegen", "Wijken toewijzen", "In- of uitschakelen", "Wachtwoord resetten",
     "SSO-koppeling", "Inlogbeveiliging"])

with add_tab, st.form("gebruiker_toevoegen", clear_on_submit=True):
    username = st.text_input("Gebruikersnaam", max_chars=40,
                             help="3 tot 40 tekens: kleine letters, cijfers, punt, - of _")
    role = st.selectbox("Rol", list(Role), format_func=lambda r: ROLE_LABELS[r])
    reporter_role = st.selectbox("Functie (alleen sleutelfiguren)", [None, *REPORTER_ROLES],
                                 format_func=lambda r: "—" if r is None else REPORTER_ROLES[r])
    chosen = st.multiselect("Wijken (sleutelfiguren en coördinatoren)", list(wijken),
                            format_func=wijk_label, placeholder="Kies een of meer wijken")
    password = st.text_input("Wachtwoord", type="password", autocomplete="new-password",
                             max_chars=256)
    repeat = st.text_input("Herhaal wachtwoord", type="password", autocomplete="new-password",
                           max_chars=256)
    if st.form_submit_button("Gebruiker toevoegen", type="primary"):
        if password != repeat:
            show_error(ValidationError([FieldError("Herhaal wachtwoord", "komt niet overeen")]))
        else:
            attempt(lambda s: users.add_user(s, actor, username, role, password, chosen,
                                             reporter_role),
                    f"Gebruiker {md_escape(username.strip())} is toegevoegd.")

with wijk_tab:
    who = st.selectbox("Gebruiker", names, key="wijk_gebruiker")
    if who:
        with read_session(engine) as session:
            current = users.user_wijk_codes(session, actor, who)
        with st.form("wijken_toewijzen"):
            chosen = st.multiselect("Wijken", list(wijken), default=current,
                                    format_func=wijk_label,
                                    placeholder="Kies een of meer wijken")
            if st.form_submit_button("Wijken opslaan"):
                attempt(lambda s: users.assign_wijken(s, actor, who, chosen),
                        f"Wijken van {md_escape(who)} zijn opgeslagen.")

with active_tab:
    who = st.selectbox("Gebruiker", names, key="actief_gebruiker")
    left, right = st.columns(2)
    if left.button("Uitschakelen", disabled=not who):
        attempt(lambda s: users.disable_user(s, actor, who),
                f"{md_escape(who)} is uitgeschakeld en kan niet meer inloggen.")
    if right.button("Inschakelen", disabled=not who):
        attempt(lambda s: users.enable_user(s, actor, who), f"{md_escape(who)} is ingeschakeld.")

with password_tab, st.form("wachtwoord_resetten", clear_on_submit=True):
    who = st.selectbox("Gebruiker", names, key="reset_gebruiker")
    password = st.text_input("Nieuw wachtwoord", type="password", autocomplete="new-password",
                             max_chars=256)
    st.caption("Geef het nieuwe wachtwoord persoonlijk door; de gebruiker wijzigt het daarna "
               "zelf onder Mijn account. Een blokkade wordt opgeheven en open sessies "
               "worden beëindigd.")
    if st.form_submit_button("Wachtwoord resetten"):
        attempt(lambda s: users.reset_password(s, actor, who, password),
                f"Het wachtwoord van {md_escape(who)} is gereset.")

with sso_tab, st.form("sso_koppelen", clear_on_submit=True):
    st.caption("Alleen nodig als inloggen via de organisatie (OIDC) is ingericht. De rol komt "
               "altijd uit deze gebruikerslijst.")
    who = st.selectbox("Gebruiker", names, key="sso_gebruiker")
    email = st.text_input("E-mailadres (leeg = ontkoppelen)", max_chars=254)
    if st.form_submit_button("Koppeling opslaan"):
        attempt(lambda s: users.set_email(s, actor, who, email or None),
                f"De SSO-koppeling van {md_escape(who)} is opgeslagen.")

with security_tab, st.form("inlogbeveiliging"):
    limits = settings.SECURITY_LIMITS
    max_failures = st.number_input(limits["max_failures"][2], *limits["max_failures"][:2],
                                   value=security.max_failures, step=1)
    lock_minutes = st.number_input(limits["lock_minutes"][2], *limits["lock_minutes"][:2],
                                   value=security.lock_minutes, step=1)
    idle_minutes = st.number_input(limits["idle_minutes"][2], *limits["idle_minutes"][:2],
                                   value=security.idle_minutes, step=1)
    absolute_hours = st.number_input(limits["absolute_hours"][2],
                                     *limits["absolute_hours"][:2],
                                     value=security.absolute_hours, step=1)
    if st.form_submit_button("Instellingen opslaan"):
        attempt(lambda s: settings.update_security(s, actor, int(max_failures),
                                                   int(lock_minutes), int(idle_minutes),
                                                   int(absolute_hours)),
                "De inlogbeveiliging is opgeslagen.")

with security_tab, st.form("import_melders"):
    low, high, label = settings.IMPORT_LIMITS["max_new_reporters"]
    max_new = st.number_input(label, low, high, value=import_limits.max_new_reporters, step=1)
    st.caption("Een import die meer nieuwe melders aanmaakt, vraagt om een extra bevestiging "
               "met de lijst van namen.")
    if st.form_submit_button("Grens opslaan"):
        attempt(lambda s: settings.update_import(s, actor, int(max_new)),
                "De grens voor nieuwe melders is opgeslagen.")
