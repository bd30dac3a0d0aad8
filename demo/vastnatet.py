"""Seed 000: Västnätet, a network of public employers with one shared programme for managers of
managers. Round 15 is open (about 60 applications in every stage, a check-in prepared); round
14 is closed and shows its year: applications through the manager's support and the nomination,
pairs across organisations, their meetings, and the pairs ended at the round's end.

Invented people only; ``build`` is called by ``demo.seed`` inside the tenant's scope.
"""

from datetime import time, timedelta

from applications.models import (
    Question,
    QuestionAudience,
    Theme,
)
from demo import history, pairing, programme_data, surveys
from demo.common import DEMO_DOMAIN, demo_email, ensure_user
from demo.history import (
    ADEPT,
    ADEPT_CLOSERS,
    ADEPT_OPENERS,
    FIRST_NAMES,
    LAST_NAMES,
    MENTOR,
    MENTOR_CLOSERS,
    MENTOR_OPENERS,
    SECTOR_PHRASE,
    _day_month,
    _domain,
    _local,
)
from demo.history import MANAGER_OF_MANAGERS as MOM
from demo.history import SENIOR_EXECUTIVE as EXEC
from evaluation.models import (
    Survey,
)
from programmes.models import (
    Audience,
    Programme,
    Round,
)

# (slug, name, contact, organisations[(name, kind, region, place)], coordinator, hr contacts)
SPEC = {
    "slug": "vastnatet",
    "name": "Västnätet – mentorprogram för chefer (demo)",
    "contact_email": f"mentor@vastnatet.{DEMO_DOMAIN}",
    "organisations": [
        ("Älvby stad", "municipality", "Västra Götaland", "Älvby"),
        ("Region Västerhav", "region", "Västra Götaland", "Älvby"),
        ("Sjöviks kommun", "municipality", "Västra Götaland", "Sjövik"),
        ("Bergåsa kommun", "municipality", "Västra Götaland", "Bergåsa"),
        ("Länsstyrelsen i Kustlän", "agency", "Västra Götaland", "Älvby"),
        ("Högskolan i Åbacka", "university", "Halland", "Åbacka"),
    ],
    "coordinator": ("Karin Demo-Lindgren", "karin.koordinator"),
    "hr_contacts": [
        ("Olle Exempelsson", "olle.hr", ["Älvby stad"]),
        ("Sara Påhittad", "sara.hr", ["Region Västerhav", "Länsstyrelsen i Kustlän"]),
        ("Nils Testberg", "nils.hr", ["Sjöviks kommun", "Bergåsa kommun"]),
        ("Eva Fiktiv", "eva.hr", ["Högskolan i Åbacka"]),
    ],
    "programme_demo": "network",
}


NETWORK_CALL = """\
Genom samarbetet i Västnätet kan du som är chef över chefer bli mentor eller adept till en chef \
i en annan offentlig verksamhet i närområdet. Både mentor och adept får en extra dimension genom \
att möta en chef från en annan organisation och profession.

Mentorn är en erfaren strategisk chef, chef över chefer, och verkar eller har verkat på högre \
ledningsnivå. Mentorn ger stöd och vägleder adepten att söka och utforska gränser i sin ledarroll.

Adepten är chef över chefer sedan minst ett år och vill utveckla både sitt eget ledarskap och sin \
organisation.

Din organisations kontaktperson väljer ut och anmäler mentorer och adepter. Adeptens chef ska vara \
delaktig i nomineringen och stödja ansökan. Arbetsgruppen gör urvalet och matchar adepter och \
mentorer utifrån ansökningarna. Varje omgång har plats för högst 25 par."""


NETWORK_PRACTICAL = """\
Den officiella delen pågår under ett år. Mentorrelationerna pågår ofta längre.
Deltagandet i de fyra gemensamma mötesdagarna bör prioriteras.
Genom geografisk närhet blir det lätt att ha god och kontinuerlig kontakt till låg kostnad."""


def _network_round(tenant, programme, orgs, *, number, status, opens, closes, starts):
    ends = starts + timedelta(days=399)  # a Friday, a year and a month later
    round_ = programme_data._round(
        tenant,
        programme,
        f"Omgång {number}",
        number=number,
        status=status,
        call_text=NETWORK_CALL,
        practical_info=NETWORK_PRACTICAL,
        application_opens_at=opens,
        application_closes_at=closes,
        starts_on=starts,
        ends_on=ends,
        max_pairs=25,
        # The document: the organisation nominates both roles, and it is the adept's manager
        # who takes part in the nomination and supports the application.
        requires_endorsement=True,
        endorsement_for="adept",
        requires_nomination=True,
        requires_interview=False,
        cost_text="Kostnadsfritt för deltagarna; resekostnader bekostas av deltagarna själva",
        eligibility={
            programme_data.MENTOR: (
                [programme_data.MANAGER_OF_MANAGERS, programme_data.SENIOR_EXECUTIVE],
                0,
                "erfaren strategisk chef, chef över chefer, verkar/har verkat på högre "
                "ledningsnivå",
            ),
            programme_data.ADEPT: (
                [programme_data.MANAGER_OF_MANAGERS],
                1,
                "chef över chefer i minst ett år, vill utveckla sitt ledarskap och sin "
                "organisation",
                1,
            ),
        },
    )
    programme_data._meeting(
        tenant,
        round_,
        "Uppstart",
        starts,
        time(9),
        time(15, 30),
        includes_meal=True,
        place="Konferenshuset Kajen, Älvby",
        agenda="Gemensam start för mentorer och adepter med lunch. Adepterna avslutar dagen med "
        "lunchen; mentorerna fortsätter med en workshop i coaching.",
        parts=[
            ("Gemensam start", time(9), time(12), Audience.EVERYONE),
            ("Lunch", time(12), time(13), Audience.EVERYONE),
            ("Workshop i coaching", time(13), time(15, 30), Audience.MENTORS),
        ],
    )
    programme_data._meeting(
        tenant,
        round_,
        "Möte hos en av medlemsorganisationerna",
        starts + timedelta(days=77),
        time(9),
        time(13),
        host_organisation=orgs["Sjöviks kommun"],
        agenda="Besök hos en av deltagarnas organisationer.",
    )
    programme_data._meeting(
        tenant,
        round_,
        "Inspirationsdag med fokus på ledarskapet",
        starts + timedelta(days=224),
        time(9),
        time(15),
        includes_meal=True,
        place="Konferenshuset Kajen, Älvby",
        agenda="Föreläsning och samtal om ledarskap, lunch ingår.",
    )
    programme_data._meeting(
        tenant,
        round_,
        "Avslutning",
        ends,
        time(9),
        time(13),
        host_organisation=orgs["Region Västerhav"],
        agenda="Avslutning av den officiella delen och möte hos en av deltagarnas organisationer.",
    )
    return round_


# The closed rounds' pairs have had their year: ``demo.story`` ends them through end_pair.
ENDS_CLOSED_ROUNDS = True


def build_programme(*, tenant, spec, orgs, today):
    programme = programme_data._programme(
        tenant,
        "over-granserna",
        name="Mentorprogram över gränserna",
        kind=Programme.Kind.COHORT,
        matching_mode=Programme.MatchingMode.COORDINATOR,
        description="Ett gemensamt mentorprogram för nätverkets offentliga arbetsgivare: mentor "
        "och adept kommer från olika organisationer och professioner.",
        target_group="Chefer över chefer i nätverkets medlemsorganisationer.",
    )
    starts = programme_data._on_or_after(today + timedelta(days=105), programme_data.FRI)
    _network_round(
        tenant,
        programme,
        orgs,
        number=15,
        status=Round.Status.OPEN,
        opens=programme_data._at(tenant, today - timedelta(days=35), 8),
        closes=programme_data._at(tenant, today + timedelta(days=21), 23, 59),
        starts=starts,
    )
    # Round 14 ran two cycles back, so that it has ended (a round a single year back would still
    # be in its official year, which lasts 13 months).
    earlier = timedelta(days=728)
    _network_round(
        tenant,
        programme,
        orgs,
        number=14,
        status=Round.Status.CLOSED,
        opens=programme_data._at(tenant, today - timedelta(days=35) - earlier, 8),
        closes=programme_data._at(tenant, today + timedelta(days=21) - earlier, 23, 59),
        starts=starts - earlier,
    )
    return []


NETWORK_THEMES = [
    ("Strategiskt ledarskap", "strategiskt ledarskap"),
    ("Leda chefer", "att leda chefer"),
    ("Förändringsledning", "förändringsledning"),
    ("Kommunikation", "kommunikation"),
    ("Arbetsmiljö och hållbarhet", "arbetsmiljö och ett hållbart chefskap"),
    ("Styrning och politik", "samspelet mellan tjänstepersoner och politik"),
    ("Kompetensförsörjning", "kompetensförsörjning"),
]


# How many mentors and adepts each member organisation sends.
NETWORK_PLAN = [
    ("Älvby stad", 8, 9),
    ("Region Västerhav", 8, 9),
    ("Sjöviks kommun", 4, 4),
    ("Bergåsa kommun", 4, 4),
    ("Länsstyrelsen i Kustlän", 4, 4),
    ("Högskolan i Åbacka", 3, 3),
]


NETWORK_STAGES = {
    history.MENTOR: [history.NOMINATED] * 26
    + [
        history.DRAFT,
        history.AWAITING_NOMINATION,
        history.AWAITING_NOMINATION,
        history.DECLINED_BY_ORGANISATION,
        history.WITHDRAWN_AFTER_NOMINATION,
    ],
    history.ADEPT: [history.NOMINATED] * 26
    + [
        history.DRAFT,
        history.DRAFT,
        history.AWAITING_ENDORSEMENT,
        history.AWAITING_ENDORSEMENT,
        history.AWAITING_NOMINATION,
        history.DECLINED_BY_ORGANISATION,
        history.WITHDRAWN_BEFORE_NOMINATION,
    ],
}


# Job titles per kind of organisation: (title, level). "kommun" words become "stad" words in
# a city. Mentors are strategic managers of managers; adepts manage managers.
NETWORK_MENTOR_TITLES = {
    "municipality": [
        ("Kommundirektör", history.SENIOR_EXECUTIVE),
        ("Biträdande kommundirektör", history.SENIOR_EXECUTIVE),
        ("Förvaltningschef, socialförvaltningen", history.MANAGER_OF_MANAGERS),
        ("Förvaltningschef, utbildningsförvaltningen", history.MANAGER_OF_MANAGERS),
        ("Förvaltningschef, samhällsbyggnadsförvaltningen", history.MANAGER_OF_MANAGERS),
        ("Förvaltningschef, kultur- och fritidsförvaltningen", history.MANAGER_OF_MANAGERS),
        ("HR-direktör", history.SENIOR_EXECUTIVE),
        ("Ekonomidirektör", history.SENIOR_EXECUTIVE),
        ("Kanslichef, kommunledningskontoret", history.MANAGER_OF_MANAGERS),
        ("Förvaltningschef, vård- och omsorgsförvaltningen", history.MANAGER_OF_MANAGERS),
    ],
    "region": [
        ("Regiondirektör", history.SENIOR_EXECUTIVE),
        ("Hälso- och sjukvårdsdirektör", history.SENIOR_EXECUTIVE),
        ("Förvaltningschef, regionens tandvård", history.MANAGER_OF_MANAGERS),
        ("Förvaltningschef, kulturförvaltningen", history.MANAGER_OF_MANAGERS),
        ("Områdeschef, primärvård", history.MANAGER_OF_MANAGERS),
        ("Verksamhetschef, vuxenpsykiatri", history.MANAGER_OF_MANAGERS),
        ("Avdelningschef, regional utveckling", history.MANAGER_OF_MANAGERS),
        ("Sjukhusdirektör, Västerhavssjukhuset", history.SENIOR_EXECUTIVE),
        ("Kanslichef, regionstyrelsens förvaltning", history.MANAGER_OF_MANAGERS),
        ("Ekonomidirektör", history.SENIOR_EXECUTIVE),
    ],
    "agency": [
        ("Länsråd", history.SENIOR_EXECUTIVE),
        ("Avdelningschef, miljöavdelningen", history.MANAGER_OF_MANAGERS),
        ("Avdelningschef, samhällsbyggnadsavdelningen", history.MANAGER_OF_MANAGERS),
        ("Avdelningschef, landsbygdsavdelningen", history.MANAGER_OF_MANAGERS),
        ("Kanslichef", history.MANAGER_OF_MANAGERS),
    ],
    "university": [
        ("Högskoledirektör", history.SENIOR_EXECUTIVE),
        ("Avdelningschef, studentavdelningen", history.MANAGER_OF_MANAGERS),
        ("Bibliotekschef", history.MANAGER_OF_MANAGERS),
        ("Fakultetsdirektör", history.MANAGER_OF_MANAGERS),
    ],
}


NETWORK_ADEPT_TITLES = {
    "municipality": [
        "Avdelningschef, äldreomsorg",
        "Verksamhetschef, förskola",
        "Enhetschef över chefer, hemtjänst",
        "Biträdande förvaltningschef, kultur och fritid",
        "Avdelningschef, individ- och familjeomsorg",
        "Verksamhetschef, grundskola",
        "Områdeschef, funktionsstöd",
        "Avdelningschef, gata och park",
        "Avdelningschef, vuxenutbildning och arbetsmarknad",
        "Kanslichef, socialförvaltningen",
        "Avdelningschef, digitalisering",
    ],
    "region": [
        "Verksamhetschef, akutsjukvård",
        "Biträdande områdeschef, primärvård",
        "Avdelningschef, kollektivtrafik",
        "Verksamhetschef, barn- och ungdomsmedicin",
        "Avdelningschef, regionens IT",
        "Biträdande verksamhetschef, medicinkliniken",
        "Avdelningschef, habilitering",
        "Verksamhetschef, folktandvården",
        "Avdelningschef, fastigheter",
        "Enhetschef över chefer, vårdval",
    ],
    "agency": [
        "Enhetschef över chefer, tillsyn",
        "Biträdande avdelningschef, miljöavdelningen",
        "Avdelningschef, verksamhetsstöd",
        "Biträdande avdelningschef, samhällsbyggnad",
        "Avdelningschef, krisberedskap",
    ],
    "university": [
        "Avdelningschef, IT-avdelningen",
        "Kanslichef, fakultetskansliet",
        "Biträdande förvaltningschef",
        "Avdelningschef, HR-avdelningen",
    ],
}


NETWORK_EDUCATION = {
    "municipality": [
        "Socionomexamen; kommunal ledarutbildning för chefer över chefer",
        "Civilekonom; ledarprogram för högre chefer",
        "Grundskollärare; rektorsprogrammet och en magister i utbildningsledning",
        "Fil.kand. i statsvetenskap; chefsutveckling i kommunal regi",
        "Civilingenjör, samhällsbyggnad",
        "Personalvetarexamen; utbildning i UGL och coachande ledarskap",
    ],
    "region": [
        "Sjuksköterskeexamen och magister i vårdvetenskap; program för verksamhetschefer",
        "Läkarexamen, specialist i allmänmedicin; ledarskapsutbildning för läkare",
        "Civilekonom; regionens ledarprogram",
        "Fil.kand. i kulturvetenskap; projektledarutbildning",
        "Tandläkarexamen; ledarskap i hälso- och sjukvården",
        "Fil.mag. i kulturgeografi",
    ],
    "agency": [
        "Juristexamen; statens chefsutbildning",
        "Fil.mag. i miljövetenskap; ledarskap i staten",
        "Agronom; utbildning för chefer i statsförvaltningen",
        "Fil.kand. i offentlig förvaltning",
    ],
    "university": [
        "Fil.dr i biologi; akademiskt ledarskap",
        "Bibliotekarie, fil.mag. i biblioteks- och informationsvetenskap",
        "Fil.kand. i personal och arbetsliv; ledarskapsprogram för högskolans chefer",
        "Systemvetare; utbildning i IT-ledning",
    ],
}


NETWORK_EARLIER = {
    "municipality": [
        "socialsekreterare och enhetschef",
        "rektor och verksamhetschef",
        "controller och ekonomichef",
        "projektledare och planchef",
        "HR-specialist och HR-chef",
    ],
    "region": [
        "sjuksköterska och vårdenhetschef",
        "läkare och sektionschef",
        "utvecklingsledare och enhetschef",
        "handläggare och enhetschef",
    ],
    "agency": [
        "handläggare och enhetschef",
        "jurist och enhetschef",
        "miljöhandläggare och enhetschef",
    ],
    "university": [
        "forskare och prefekt",
        "bibliotekarie och enhetschef",
        "IT-strateg och enhetschef",
    ],
}


def _network_people(rng, organisations):
    """(organisation, role, full name, title, level, stage key) for every applicant."""
    names, used = [], set()
    while len(names) < 160:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if history._local(name) not in used:
            used.add(history._local(name))
            names.append(name)
    applicants, managers = names[:80], names[80:]
    stages = {role: rng.sample(keys, len(keys)) for role, keys in NETWORK_STAGES.items()}
    people = []
    for org_name, mentors, adepts in NETWORK_PLAN:
        organisation = organisations[org_name]
        city = org_name.endswith(" stad")
        mentor_titles = rng.sample(NETWORK_MENTOR_TITLES[organisation.kind], mentors)
        adept_titles = rng.sample(NETWORK_ADEPT_TITLES[organisation.kind], adepts)
        for role, titles in ((history.MENTOR, mentor_titles), (history.ADEPT, adept_titles)):
            for title in titles:
                title, level = (
                    title if role == history.MENTOR else (title, history.MANAGER_OF_MANAGERS)
                )
                if city:
                    title = (
                        title.replace("Kommundirektör", "Stadsdirektör")
                        .replace("kommundirektör", "stadsdirektör")
                        .replace("kommunledning", "stadsledning")
                    )
                people.append(
                    {
                        "organisation": organisation,
                        "role": role,
                        "name": applicants.pop(0),
                        "manager": managers.pop(0),
                        "title": title,
                        "level": level,
                        "stage": stages[role].pop(),
                    }
                )
    return people


def _network_trail(rng, texts, tenant, round_, person, user, hr_user, now):
    """The history for the person's stage, inside the round's application window."""
    opens = round_.application_opens_at
    key, role = person["stage"], person["role"]
    first = user.full_name.split()[0]
    if key == history.DRAFT:
        trail = history._Trail(rng, tenant, user, now - history._days(rng, 1, 6))
        return trail.end_before(now - timedelta(hours=1))
    if key in (history.AWAITING_ENDORSEMENT,):
        start = now - history._days(rng, 3, 9)
    elif key == history.AWAITING_NOMINATION:
        start = now - history._days(rng, 6, 10)
    else:
        start = opens + history._days(
            rng, 0.5, 10 if key != history.WITHDRAWN_AFTER_NOMINATION else 5
        )
    trail = history._Trail(rng, tenant, user, start)
    trail.by(user, history.Stage.SUBMITTED, after=history._minutes(rng, 1, 72))
    if role == history.ADEPT:
        # Only the adept's manager is asked for support (the round's endorsement_for).
        trail.to(history.Stage.AWAITING_ENDORSEMENT)
        if key == history.AWAITING_ENDORSEMENT:
            return trail.end_before(now - timedelta(hours=2))
    trail.to(history.Stage.AWAITING_NOMINATION, after=history._minutes(rng, 3, 96))
    if key == history.AWAITING_NOMINATION:
        return trail.end_before(now - timedelta(hours=2))
    if key == history.WITHDRAWN_BEFORE_NOMINATION:
        trail.by(
            user,
            history.Stage.WITHDRAWN,
            after=history._days(rng, 2, 5),
            reason=history.WITHDRAWAL_REASONS[role],
        )
        return trail.end_before(now - timedelta(hours=2))
    if key == history.DECLINED_BY_ORGANISATION:
        trail.by(
            hr_user,
            history.Stage.DECLINED_BY_ORGANISATION,
            after=history._days(rng, 1, 7),
            reason=history.DECLINED_REASONS[role],
        )
        return trail.end_before(now - timedelta(hours=2))
    pool = history.MENTOR_NOMINATIONS if role == history.MENTOR else history.ADEPT_NOMINATIONS
    trail.by(
        hr_user,
        history.Stage.NOMINATED,
        after=history._days(rng, 1, 7),
        reason=texts.choice(pool).format(first=first),
    )
    if key == history.WITHDRAWN_AFTER_NOMINATION:
        trail.by(
            user,
            history.Stage.WITHDRAWN,
            after=history._days(rng, 2, 6),
            reason=history.WITHDRAWAL_REASONS[role],
        )
    return trail.end_before(now - timedelta(hours=2))


def _network_questions(tenant, round_):
    kickoff = round_.starts_on
    specs = [
        (
            "Vilken erfarenhet har du av mentorskap tidigare?",
            Question.Kind.LONG_TEXT,
            False,
            [],
            "Som mentor, som adept eller på annat sätt.",
        ),
        (
            f"Kan du delta vid uppstarten den {_day_month(kickoff)}?"
            if kickoff
            else "Kan du delta vid uppstarten?",
            Question.Kind.YES_NO,
            True,
            [],
            "Uppstarten är en heldag för mentorerna och en förmiddag med lunch för adepterna.",
        ),
        (
            "Från vilken sorts organisation vill du helst att din mentor eller adept kommer?",
            Question.Kind.SINGLE_CHOICE,
            False,
            history.SECTOR_CHOICES,
            "",
        ),
    ]
    questions = []
    for position, (label, kind, required, choices, help_text) in enumerate(specs, start=1):
        question, _ = Question.objects.get_or_create(
            tenant=tenant,
            round=round_,
            label=label,
            defaults={
                "kind": kind,
                "required": required,
                "choices": choices,
                "help_text": help_text,
                "audience": QuestionAudience.BOTH,
                "position": position,
            },
        )
        questions.append(question)
    return questions


def build_applications(*, tenant, spec, organisations, rng, times, now, batch):
    round_ = history._round(tenant, "over-granserna", "Omgång 15")
    if round_ is None:
        return []
    themes = []
    for position, (name, _phrase) in enumerate(NETWORK_THEMES, start=1):
        theme, _ = Theme.objects.get_or_create(
            tenant=tenant, programme=round_.programme, name=name, defaults={"position": position}
        )
        themes.append(theme)
    phrases = dict(NETWORK_THEMES)
    experience, kickoff, sector = _network_questions(tenant, round_)
    coordinator = history._coordinator(tenant)
    hr_for = history._hr_contacts(tenant, coordinator)
    logins = {}
    for person in _network_people(rng, organisations):
        organisation, role, key = person["organisation"], person["role"], person["stage"]
        user = ensure_user(demo_email(history._local(person["name"]), spec), person["name"])
        hr_user = hr_for(organisation)
        trail = _network_trail(times, rng, tenant, round_, person, user, hr_user, now)
        mentor = role == history.MENTOR
        if mentor:
            years = rng.randint(12, 28)
            reporting = rng.randint(4, 12)
        else:
            years = rng.randint(4, 14)
            reporting = rng.randint(2, 7)
        above = rng.randint(1, min(years - 2, 6 if not mentor else 18))
        chosen = rng.sample(themes, rng.choice([2, 2, 3]))
        a, b = (phrases[t.name] for t in chosen[:2])
        if mentor:
            motivation = (
                f"{rng.choice(MENTOR_OPENERS)} Jag kan särskilt bidra inom {a} och "
                f"{b}, där jag har lång erfarenhet från "
                f"{SECTOR_PHRASE[organisation.kind]}. {rng.choice(MENTOR_CLOSERS)}"
            )
        else:
            motivation = (
                f"{rng.choice(ADEPT_OPENERS)} Jag vill särskilt arbeta med {a} samt "
                f"{b}. {rng.choice(ADEPT_CLOSERS)}"
            )
        can_start = rng.random() < 0.9
        other_sectors = [
            c for c in history.SECTOR_CHOICES if c != history.SECTOR_OF_KIND[organisation.kind]
        ]
        answers = {
            str(experience.pk): rng.choice(
                history.MENTOR_EXPERIENCE if mentor else history.ADEPT_EXPERIENCE
            ),
            str(kickoff.pk): "yes" if can_start else "no",
            str(sector.pk): rng.choice(other_sectors + ["Ingen preferens"] * 2),
        }
        fields = {
            "organisation": organisation,
            "phone": f"070-174 06 {rng.randint(5, 99):02d}",
            "job_title": person["title"],
            "current_assignment": (
                f"{person['title']} i {organisation.name}, med {reporting} chefer som "
                f"rapporterar direkt till mig."
            ),
            "manager_level": person["level"],
            "years_as_manager": years,
            "years_in_level": above,
            "managers_reporting": reporting,
            "region": organisation.region,
            "education": rng.choice(NETWORK_EDUCATION[organisation.kind]),
            "work_experience": (
                f"{years} år som chef, varav {above} år som chef över chefer. Tidigare "
                f"{rng.choice(NETWORK_EARLIER[organisation.kind])}."
            ),
            "motivation": motivation,
            "matching_wishes": rng.choice(
                history.MENTOR_WISHES if mentor else history.ADEPT_WISHES
            ),
            "prefers_other_sector": rng.random() < 0.4,
            "languages": rng.choice(["svenska", "svenska", "svenska, engelska"]),
            "available_for_shared_days": can_start,
            "capacity": 1,
            "manager_name": person["manager"],
            "manager_email": f"{_local(person['manager'])}@{_domain(organisation)}",
            "discussed_with_manager": True,
        }
        comment = rng.choice(history.ENDORSEMENT_COMMENTS)
        if key == history.DRAFT and not logins.get("draft"):
            # One draft is half written: no motivation, no answers yet, no consent.
            fields.update(
                {"motivation": "", "matching_wishes": "", "discussed_with_manager": False}
            )
            answers = {}
        application, created = history._write(
            batch=batch,
            tenant=tenant,
            round_=round_,
            user=user,
            role=role,
            trail=trail,
            fields=fields,
            themes=chosen,
            answers=answers,
            consent=not (key == history.DRAFT and not logins.get("draft")),
        )
        if created and trail.when(history.Stage.AWAITING_ENDORSEMENT):
            history._endorsement(batch, tenant, application, trail, comment=comment)
        if created and trail.when(history.Stage.AWAITING_NOMINATION):
            history._nomination(batch, tenant, application, trail, hr_user=hr_user)
        if key == history.DRAFT:
            logins.setdefault("draft", (user.email, f"applicant, draft, {round_.name}"))
        elif key == history.AWAITING_ENDORSEMENT:
            logins.setdefault(
                "endorsement",
                (user.email, f"applicant, waiting for the manager's support, {round_.name}"),
            )
        elif key == history.NOMINATED and role == history.ADEPT:
            logins.setdefault("nominated", (user.email, f"applicant, nominated, {round_.name}"))
    return [logins[k] for k in ("draft", "endorsement", "nominated") if k in logins]


# --- round 14 (closed): its history -------------------------------------------------------

# (name, role, organisation, title, level): nominated by their organisation, accepted and
# paired across organisations; the pairs met through the year and were ended at its close.
ROUND_14_PEOPLE = [
    ("Gunnel Brandt", MENTOR, "Älvby stad", "Förvaltningschef, socialförvaltningen", MOM),
    ("Roger Backman", MENTOR, "Region Västerhav", "Hälso- och sjukvårdsdirektör", EXEC),
    ("Solveig Lilja", MENTOR, "Sjöviks kommun", "Kommundirektör", EXEC),
    ("Håkan Norén", MENTOR, "Länsstyrelsen i Kustlän", "Länsråd", EXEC),
    ("Marianne Sahlin", MENTOR, "Högskolan i Åbacka", "Högskoledirektör", EXEC),
    ("Kent Ramsten", ADEPT, "Region Västerhav", "Verksamhetschef, akutsjukvård", MOM),
    ("Birgit Falkner", ADEPT, "Älvby stad", "Avdelningschef, äldreomsorg", MOM),
    ("Leif Zetterlund", ADEPT, "Bergåsa kommun", "Verksamhetschef, grundskola", MOM),
    ("Inger Frisk", ADEPT, "Högskolan i Åbacka", "Avdelningschef, IT-avdelningen", MOM),
    ("Tommy Engqvist", ADEPT, "Sjöviks kommun", "Avdelningschef, individ- och familjeomsorg", MOM),
]
# Applied, but did not take part: one not nominated, one withdrew before the start.
ROUND_14_OTHERS = [
    (
        "Yvonne Ringström",
        ADEPT,
        "Bergåsa kommun",
        "Enhetschef över chefer, hemtjänst",
        MOM,
        history.Stage.DECLINED_BY_ORGANISATION,
    ),
    ("Stig Tegnér", MENTOR, "Älvby stad", "Ekonomidirektör", EXEC, history.Stage.WITHDRAWN),
]
ROUND_14_PLAN = [
    ("Kent Ramsten", ["Solveig Lilja"]),
    ("Birgit Falkner", ["Roger Backman"]),
    ("Leif Zetterlund", ["Marianne Sahlin"]),
    ("Inger Frisk", ["Håkan Norén"]),
    ("Tommy Engqvist", ["Gunnel Brandt"]),
]


def build_round_14_applications(*, tenant, spec, organisations, rng, times, now, batch):
    """Round 14's applications, from the draft through the manager's support and the
    nomination to the decision, each step through ``applications.services.change_stage``."""
    round_ = history._round(tenant, "over-granserna", "Omgång 14")
    if round_ is None or round_.application_opens_at is None:
        return []
    coordinator = history._coordinator(tenant)
    hr_for = history._hr_contacts(tenant, coordinator)
    opens, closes = round_.application_opens_at, round_.application_closes_at
    decided = history._at(tenant, round_.starts_on - timedelta(days=30), 10)
    people = [(*person, history.Stage.ACCEPTED) for person in ROUND_14_PEOPLE] + ROUND_14_OTHERS
    for name, role, org_name, title, level, final in people:
        organisation = organisations[org_name]
        user = history._person(spec, name)
        hr_user = hr_for(organisation)
        first = history._first_name(user)
        manager = f"Chef för {first}"
        trail = history._Trail(times, tenant, user, opens + history._days(times, 1, 12))
        trail.by(user, history.Stage.SUBMITTED, after=history._minutes(times, 1, 48))
        if role != MENTOR:
            trail.to(history.Stage.AWAITING_ENDORSEMENT)
        trail.to(history.Stage.AWAITING_NOMINATION, after=history._minutes(times, 3, 72))
        if final == history.Stage.DECLINED_BY_ORGANISATION:
            trail.by(
                hr_user,
                final,
                after=history._days(times, 1, 6),
                reason=history.DECLINED_REASONS[role],
            )
        else:
            pool = history.MENTOR_NOMINATIONS if role == MENTOR else history.ADEPT_NOMINATIONS
            trail.by(
                hr_user,
                history.Stage.NOMINATED,
                after=history._days(times, 1, 6),
                reason=rng.choice(pool).format(first=first),
            )
            trail.end_before(closes)
            if final == history.Stage.WITHDRAWN:
                trail.by(
                    user,
                    final,
                    after=history._days(times, 2, 5),
                    reason=history.WITHDRAWAL_REASONS[role],
                )
            else:
                trail.by(coordinator, final, at=decided + history._minutes(times, 0, 5))
        trail.end_before(decided + timedelta(days=1))
        years = rng.randint(12, 25) if role == MENTOR else rng.randint(4, 10)
        fields = {
            "organisation": organisation,
            "job_title": title,
            "current_assignment": f"{title} i {organisation.name}.",
            "manager_level": level,
            "years_as_manager": years,
            "years_in_level": max(1, years // 3),
            "managers_reporting": rng.randint(3, 10),
            "region": organisation.region,
            "work_experience": f"{years} år som chef.",
            "motivation": rng.choice(
                history.MENTOR_OPENERS if role == MENTOR else history.ADEPT_OPENERS
            ),
            "available_for_shared_days": True,
            "capacity": 1,
            "manager_name": manager,
            "manager_email": f"{history._local(name)}.chef@{history._domain(organisation)}",
            "discussed_with_manager": True,
        }
        application, created = history._write(
            batch=batch,
            tenant=tenant,
            round_=round_,
            user=user,
            role=role,
            trail=trail,
            fields=fields,
        )
        if created:
            if role != MENTOR:
                history._endorsement(batch, tenant, application, trail)
            history._nomination(batch, tenant, application, trail, hr_user=hr_user)
    return []


def build_pairs(*, tenant, spec, organisations, now):
    """Round 15 is open: the coordinators match it in the demo. Round 14 was matched by the
    coordinator a month before its start, mentor and adept from different organisations."""
    round_ = pairing._round(tenant, "over-granserna", "Omgång 14")
    if round_ is None or round_.starts_on is None:
        return []
    coordinator = pairing._coordinator(tenant)
    pairs = pairing._pair_by_names(
        round_,
        ROUND_14_PLAN,
        actor_for=lambda adept: coordinator,
        matched_at=lambda adept: pairing._at(tenant, round_.starts_on - timedelta(days=21), 10),
        started_at=lambda adept: pairing._at(tenant, round_.starts_on, 9),
        reason="Matchad av arbetsgruppen: %(a)s och %(m)s, från olika organisationer.",
        now=now,
    )
    return pairing._logins(pairs)


def build_surveys(*, tenant, spec, organisations, now):
    round_ = surveys._round(tenant, "over-granserna", "Omgång 15")
    if round_ is None or round_.starts_on is None:
        return []
    # After the third pair meeting: about three months into the year.
    opens = surveys._at(tenant, round_.starts_on + timedelta(days=98), 8)
    surveys._survey(
        tenant,
        round_,
        Survey.Kind.MIDTERM,
        title="Avstämning efter tredje träffen",
        opens_at=opens,
        closes_at=opens + timedelta(days=21),
    )
    return []


def build_more_applications(*, tenant, spec, organisations, now, batch):
    """Round 14 (closed): its applications and their history, in the same batch."""
    build_round_14_applications(
        tenant=tenant,
        spec=spec,
        organisations=organisations,
        rng=history._rng(spec["slug"], "round-14"),
        times=history._rng(spec["slug"], "round-14-times"),
        now=now,
        batch=batch,
    )
