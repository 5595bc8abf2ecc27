"""Grade phrases: which words are ratings, what each one grades, and whether it is the
current grade, a previous one, or a grade kept."""

from __future__ import annotations

import pytest

from monitor.classify.grades import Role, find_grades, judgement_labels
from monitor.models import Grade, Judgement

G, RI, OUT, INAD, ADQ = (
    Grade.GOOD,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.OUTSTANDING,
    Grade.INADEQUATE,
    Grade.ADEQUATE,
)
OV, L, HP, IC, CL, AD, LSCB = (
    Judgement.OVERALL,
    Judgement.LEADERS,
    Judgement.HELP_AND_PROTECTION,
    Judgement.IN_CARE,
    Judgement.CARE_LEAVERS,
    Judgement.ADOPTION,
    Judgement.LSCB,
)
CUR, PREV, KEPT = Role.CURRENT, Role.PREVIOUS, Role.RETAINED


def found(sentence: str) -> list[tuple[Grade, tuple[Judgement, ...], Role]]:
    return [(m.grade, m.judgements, m.role) for m in find_grades(sentence)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The council was rated good by Ofsted.", [(G, (OV,), CUR)]),
        # a headline's label is its news
        ("Kent's 'outstanding' children's services", [(OUT, (OV,), CUR)]),
        ("Luton's services were 'poor' in this year's assessment.", [(INAD, (OV,), CUR)]),
        # the annual ratings' words as a council's release or a paper words them
        ("Bury's services are praised for being 'excellent' by Ofsted.", [(OUT, (OV,), CUR)]),
        (
            "Ofsted gave Bury's services the top rating of 'performing excellently'.",
            [(OUT, (OV,), CUR)],
        ),
        ("Bury is one of 20 councils scooping the highest rating.", [(OUT, (OV,), CUR)]),
        ("Children's services in Bury perform well, the letter says.", [(G, (OV,), CUR)]),
        (
            "Ofsted rated the children's services department as 'outstanding' where families "
            "get consistent help.",
            [(OUT, (OV,), CUR)],
        ),
        # the SIF's overall judgement is named by the services it covers
        (
            "Services for children in need of help and protection, looked-after children and "
            "care leavers were judged overall to 'require improvement'.",
            [(RI, (OV,), CUR)],
        ),
        ("Services were judged 'requires improvement to be good'.", [(RI, (OV,), CUR)]),
        ("Services require improvement to be good, inspectors said.", [(RI, (OV,), CUR)]),
        ("It was rated as requiring improvement.", [(RI, (OV,), CUR)]),
        ("The council has been rated Good.", [(G, (OV,), CUR)]),
        ("Children's services in Leeds are outstanding.", [(OUT, (OV,), CUR)]),
        ("It received an 'inadequate' rating.", [(INAD, (OV,), CUR)]),
        ("It was given the lowest possible rating.", [(INAD, (OV,), CUR)]),
        ("Ofsted gave the council its second-highest rating.", [(G, (OV,), CUR)]),
        ("It was handed the second lowest grade.", [(RI, (OV,), CUR)]),
        ("Services remain good.", [(G, (OV,), KEPT)]),
        ("It has retained its outstanding rating.", [(OUT, (OV,), KEPT)]),
        ("It was rated good again.", [(G, (OV,), KEPT)]),
        # "continue to require improvement": the grade kept; an unquoted "still required
        # improvement" is often "not good yet" after a worse grade, so it stays current
        ("Overall, the borough's services continue to require improvement.", [(RI, (OV,), KEPT)]),
        ("Inspectors said the services still required improvement.", [(RI, (OV,), CUR)]),
        # "inspectors concluded that the council should be rated good": the verdict, not a hope
        (
            "Inspectors have concluded that the borough should be rated 'good' overall.",
            [(G, (OV,), CUR)],
        ),
        # the press's "needs improvement" is requires improvement
        ("In 2015 the service was rated 'needs improvement'.", [(RI, (OV,), CUR)]),
        (
            "Support for care leavers was identified as an area that needs improvement to be good.",
            [(RI, (CL,), CUR)],
        ),
        # "for the second time in six years" repeats a grade, not the last one; "for the second
        # time" alone keeps it
        ("It was rated inadequate for the second time in six years.", [(INAD, (OV,), CUR)]),
        ("It was rated inadequate for the second time.", [(INAD, (OV,), KEPT)]),
        # ... but so often in so few years that no inspection can lie between: kept
        (
            "The borough was judged inadequate for the third time in four years.",
            [(INAD, (OV,), KEPT)],
        ),
        (
            "Inspectors have now graded it 'inadequate' for the second time in three years.",
            [(INAD, (OV,), KEPT)],
        ),
        # "one of 12 out of 40 councils" counts councils; it is not "out of" a grade
        (
            "The borough is one of 12 out of 40 councils to be given an overall rating of 'good'.",
            [(G, (OV,), CUR)],
        ),
        # "rated good, as it was in 2019": the grade kept
        ("The borough was rated good, just as it was in 2019.", [(G, (OV,), KEPT)]),
        # the annual assessments' scores: "the overall grade from a 1 to a 2" gives the one before
        (
            "The annual assessment raised the council's overall grade from a 1 to a 2 - "
            "'performing adequately' - on the 4-point scale.",
            [(ADQ, (OV,), CUR), (INAD, (OV,), PREV)],
        ),
        # "an improvement journey since being rated inadequate": history, not an aspiration
        (
            "The service has been on an improvement journey since being rated inadequate in 2020.",
            [(INAD, (OV,), PREV)],
        ),
        # "during the last inspection": the grade before this one
        (
            "The services had also been judged 'good' during the last inspection of the county.",
            [(G, (OV,), PREV)],
        ),
    ],
)
def test_ratings(sentence: str, expected: list[tuple[Grade, tuple[Judgement, ...], Role]]) -> None:
    assert found(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "Inspectors saw good social work practice.",
        "Leaders have an outstanding commitment to children.",
        "Management oversight was inadequate in some teams.",
        "It is good to see progress.",
        "The aim is to be good by next year.",
        "Services are not good enough.",
        # a count of outcome areas, not the overall grade
        "Seven were found to be good, two were adequate.",
        "More councils are rated good or outstanding than ever.",
        "There was good news for families.",
        "The board still requires further improvement in order to be considered good.",
        # the old annual scale's word after "were" is a grade only when a council is the subject
        "The report said the standard of care given to the young people was 'poor'.",
        "Of the 90 councils inspected, 60 failed to secure a 'good' rating.",
        # a forecast, however long the subject between "expects" and the grade
        "The new chief executive expects the coming Ofsted report on the council's children's "
        "social care to be rated inadequate.",
        "The rest were found to be 'inadequate' or 'requiring improvement'.",
        "The report sets out what needs improvement in the next year.",
        # an intensifier makes a grade word prose: "was considered particularly good"
        "The support for children in care was considered particularly good.",
        # counts of areas grade no judgement ("three out of five areas", "12 were classed")
        "Three out of five areas of the service were rated good.",
        "Out of 30 categories assessed, 9 were classed 'good' and 21 were deemed 'adequate'.",
    ],
)
def test_prose_is_not_a_rating(sentence: str) -> None:
    assert found(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Rated good, up from requires improvement.", [(G, (OV,), CUR), (RI, (OV,), PREV)]),
        (
            "It moved from inadequate to requires improvement.",
            [(INAD, (OV,), PREV), (RI, (OV,), CUR)],
        ),
        ("Downgraded from good to inadequate.", [(G, (OV,), PREV), (INAD, (OV,), CUR)]),
        # "..., after being found to ...": the grade the visit follows, though a comma splits it
        (
            "The service was visited in May, after being found to require improvement in 2019.",
            [(RI, (OV,), PREV)],
        ),
        # a monitoring story's "last fully inspected ..., when ... judged good": the standing grade
        (
            "The council was last fully inspected in May 2019, when services were judged good.",
            [(G, (OV,), PREV)],
        ),
        (
            "It was rated good, an improvement on 2012's adequate.",
            [(G, (OV,), CUR), (ADQ, (OV,), PREV)],
        ),
        ("It was previously rated inadequate.", [(INAD, (OV,), PREV)]),
        # the grade as the label of the services a sentence is about, not a rating it reports
        (
            "Children in Kent are not safe because of failings within the council's "
            "'inadequate' children's services, Ofsted has warned.",
            [(INAD, (OV,), PREV)],
        ),
        # a grade counted from ("since ... was judged"), however long its subject
        (
            "Inspectors have now written four letters since Calderdale Council's children's "
            "services department was judged to be inadequate.",
            [(INAD, (OV,), PREV)],
        ),
        # a hyphenated count of years ago is history too
        (
            "Children's social care in Lancashire was judged to be inadequate "
            "three-and-a-half years ago.",
            [(INAD, (OV,), PREV)],
        ),
        (
            "It was rated good, compared with an 'adequate' judgement five years previously.",
            [(G, (OV,), CUR), (ADQ, (OV,), PREV)],
        ),
        ("Services are no longer inadequate.", [(INAD, (OV,), PREV)]),
        # "from a position of X in 2015 to now Y": X is the earlier grade
        (
            "Services had improved from a position of inadequate in 2015 to now requiring "
            "improvement to be good.",
            [(INAD, (OV,), PREV), (RI, (OV,), CUR)],
        ),
        # "in four key areas" is every area (the overall grade); the areas belong to the first
        # clause, so "it is no longer rated inadequate" still grades the council
        (
            "The council is graded as requiring improvement in four key areas it is no longer "
            "rated inadequate.",
            [(RI, (OV,), CUR), (INAD, (OV,), PREV)],
        ),
        ("It was outstanding, having been good at the previous inspection.", [(G, (OV,), PREV)]),
        ("Leeds, which is rated outstanding, offered help.", [(OUT, (OV,), PREV)]),
        (
            "At the previous inspection several areas were rated 'adequate' and one, the health "
            "of looked after children, was rated 'inadequate'.",
            [(INAD, (IC,), PREV)],
        ),
    ],
)
def test_previous_grades(
    sentence: str, expected: list[tuple[Grade, tuple[Judgement, ...], Role]]
) -> None:
    assert found(sentence) == expected


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Adoption performance was rated 'outstanding'.", [(OUT, (AD,), CUR)]),
        ("Inspectors praised its 'outstanding' adoption services.", [(OUT, (AD,), CUR)]),
        ("It received an outstanding rating for adoption.", [(OUT, (AD,), CUR)]),
        ("The Local Safeguarding Children Board 'requires improvement'.", [(RI, (LSCB,), CUR)]),
        ("Care leavers - rated good overall - are well supported.", [(G, (CL,), CUR)]),
        (
            "The council was rated 'Good' in the experiences and progress of care leavers.",
            [(G, (CL,), CUR)],
        ),
        ("The impact of leaders on social work practice: Inadequate", [(INAD, (L,), CUR)]),
        ("Overall effectiveness: Good", [(G, (OV,), CUR)]),
        ("children in care: outstanding", [(OUT, (IC,), CUR)]),
        ("Looked-after children and permanence still require improvement.", [(RI, (IC,), CUR)]),
        ("It was rated inadequate for help and protection.", [(INAD, (HP,), CUR)]),
        (
            "Its adoption support and work with care leavers were rated as 'good'.",
            [(G, (AD, CL), CUR)],
        ),
        (
            "Inspectors rated both the impact of leaders and help and protection outstanding.",
            [(OUT, (L, HP), CUR)],
        ),
        (
            "It gave outstanding grades for children who need help and protection, for children "
            "in care, and for care leavers.",
            [(OUT, (HP, IC, CL), CUR)],
        ),
        (
            "Leaders were rated outstanding, help and protection good and care leavers inadequate.",
            [(OUT, (L,), CUR), (G, (HP,), CUR), (INAD, (CL,), CUR)],
        ),
        # "an overall assessment of X", "services in Y overall are rated as X", "..., with this
        # forming the overall rating": the overall grade
        ("Ofsted has given an overall assessment of inadequate.", [(INAD, (OV,), CUR)]),
        (
            "The grade for help and protection means that children's services in Barnsley "
            "overall are rated as inadequate.",
            [(INAD, (OV,), CUR)],
        ),
        (
            "Other areas were judged as 'requires improvement to be good', with this forming the "
            "overall rating.",
            [(RI, (OV,), CUR)],
        ),
        # "a grade for how it looks after children in care": that judgement's grade
        (
            "It comes with the city's first 'Outstanding' grade for how it looks after children "
            "in care.",
            [(OUT, (IC,), CUR)],
        ),
        # "in relation to those in need of help and protection": that judgement
        (
            "The inspection deemed it 'requires improvement' in relation to those in need of "
            "help and protection.",
            [(RI, (HP,), CUR)],
        ),
        # "the inspection of safeguarding and looked after children's services" names the
        # 2009-2012 inspection, not the looked-after judgement
        (
            "Its last inspection of safeguarding and looked after children's services, in July "
            "2012, judged services to be good.",
            [(G, (OV,), PREV)],
        ),
        # so do "a rating for safeguarding and looked-after children services" and "the report
        # on the safeguarding of children in care": the inspection's overall grade
        (
            "In 2011 the borough won an 'outstanding' rating for safeguarding and looked-after "
            "children services.",
            [(OUT, (OV,), CUR)],
        ),
        (
            "The 2011 report on the safeguarding of children in care judged the borough's "
            "services adequate.",
            [(ADQ, (OV,), CUR)],
        ),
        # "child protection failings" is a topic, not the judgement the grade is for
        (
            "Quick action on child protection failings helps London borough retain 'good' Ofsted "
            "rating",
            [(G, (OV,), KEPT)],
        ),
        # judgements named in a clause of their own, then "children's services overall": the
        # grade is the overall one (kept, after "still being rated")
        (
            "Care leavers in Leeds are getting better support despite children's services "
            "overall still being rated 'requires improvement'.",
            [(RI, (OV,), KEPT)],
        ),
        # "across all five areas, which are A, B, ...", "in each of the four main areas - A; B;
        # ...": every area, named after the count
        (
            "Inspectors rated the services 'good' across all five areas of the framework, which "
            "are overall effectiveness, the impact of leaders, the experiences and progress of "
            "children who need help and protection, the experiences and progress of children in "
            "care and the experiences and progress of care leavers.",
            [(G, (OV, L, HP, IC, CL), CUR)],
        ),
        (
            "The visit led to outstanding grades in each of the four main areas - the impact of "
            "leaders; children who need help and protection; children in care and care leavers; "
            "and overall effectiveness.",
            [(OUT, (OV, L, HP, IC), CUR)],
        ),
        # "a 'good rating' for ...": the judgement after it; a long judgement name after "with
        # outstanding for" still makes the grade a rating
        (
            "Inspectors rated the service as 'requires improvement', but gave a 'good rating' for "
            "the experiences of children in care.",
            [(RI, (OV,), CUR), (G, (IC,), CUR)],
        ),
        (
            "Ofsted rated the council good, with outstanding for the experiences and progress of "
            "children who need help and protection.",
            [(G, (OV,), CUR), (OUT, (HP,), CUR)],
        ),
        # "the impact of its leaders": the leaders judgement
        (
            "Ofsted rated Derby as outstanding for the impact of its leaders on social work "
            "practice and for children who need help and protection.",
            [(OUT, (L, HP), CUR)],
        ),
        # "the other three areas": those a framework grades beside the one named (four since
        # 2023, three before)
        (
            "The care leavers area was judged 'good', but the other three areas were rated "
            "inadequate.",
            [(G, (CL,), CUR), (INAD, (L, HP, IC), CUR)],
        ),
        (
            "Children in care were judged 'good', but the other two areas were rated inadequate.",
            [(G, (IC,), CUR), (INAD, (L, HP), CUR)],
        ),
        # the judgements listed after the grade: "rated as 'outstanding' the council's ...",
        # "The aspects requiring improvement included ..."
        (
            "Inspectors have rated as 'good' the council's leadership, support for children in "
            "care as well as its overall effectiveness.",
            [(G, (OV, L, IC), CUR)],
        ),
        (
            "The aspects requiring improvement included the impact of leaders and the service's "
            "overall effectiveness.",
            [(RI, (OV, L), CUR)],
        ),
        # "in the three main judgement areas of A, B, and C, the services were assessed as X"
        (
            "In the three main judgement areas of children who need help and protection, "
            "looked-after children, and leadership, the services were assessed as requiring "
            "improvement.",
            [(RI, (HP, IC, L), CUR)],
        ),
        # "in the three main judgement areas of A, B, and C, the services were assessed as X"
        (
            "In the three main judgement areas of children who need help and protection, "
            "looked-after children, and leadership, the services were assessed as requiring "
            "improvement.",
            [(RI, (HP, IC, L), CUR)],
        ),
        # "rated good along with the overall effectiveness": "along" may follow a grade
        (
            "Children in care and the impact of leaders were rated good along with the overall "
            "effectiveness.",
            [(G, (IC, L), CUR)],
        ),
        # "graded 'inadequate' in three areas: A; B; C": those areas (not the overall, which
        # only "all" areas include)
        (
            "The services were graded 'inadequate' in three areas: the impact of leaders; "
            "children who need help and protection; and children in care and care leavers.",
            [(INAD, (L, HP, IC), CUR)],
        ),
        # "Under Conservative leadership, the department has been rated 'Good'": who runs it,
        # not the leaders judgement
        (
            "Under Labour leadership at the council, its children's services have been rated as "
            "'Good' by Ofsted.",
            [(G, (OV,), CUR)],
        ),
        # "grading the council 'inadequate'": the council is graded, not the leaders named first
        (
            "Turnover of senior leaders has left children at risk, Ofsted said after an "
            "inspection grading the council 'inadequate'.",
            [(INAD, (OV,), CUR)],
        ),
        # a dash list before "were all rated" ("resulting in the same grading" is no sequel);
        # "The areas inspected, each of which were described as X, were: A; B; C"; "across all
        # five inspection criteria: ..."
        (
            "Parts of the service - children who need help and protection, care leavers and "
            "leadership - were all rated as 'inadequate', resulting in the same grading overall.",
            [(INAD, (HP, CL, L), CUR)],
        ),
        (
            "The areas inspected, each of which were described as requiring improvement, were: "
            "the impact of leaders; children who need help and protection; children in care.",
            [(RI, (L, HP, IC), CUR)],
        ),
        (
            "It was judged good across all five inspection criteria: overall effectiveness, the "
            "impact of leaders, help and protection, children in care and care leavers.",
            [(G, (OV, L, HP, IC, CL), CUR)],
        ),
        # "The 'good' ratings were for A; B; and C", "Good ratings were received for ...";
        # "three of the four areas rated 'Good' (A, B, overall effectiveness)"
        (
            "The 'good' ratings were for the impact of leaders; children who need help and "
            "protection; and care leavers.",
            [(G, (L, HP, CL), CUR)],
        ),
        (
            "Three of the four main areas were rated 'Good' (leadership, children in care, overall "
            "effectiveness).",
            [(G, (OV, L, IC), CUR)],
        ),
        # "child protection work" (or services, arrangements) is one item of a list
        (
            "It was judged good in three areas - child protection work, the experiences of care "
            "leavers, and leadership, management and governance.",
            [(G, (HP, CL, L), CUR)],
        ),
        # the overall judgement named in a list of judgements is one of them
        (
            "Help and protection, children in care and overall effectiveness were all judged good.",
            [(G, (OV, HP, IC), CUR)],
        ),
        # "all other areas, including overall effectiveness": the overall grade
        (
            "It won an 'outstanding' grade for the impact of leaders and a 'good' grade for all "
            "other areas of its work, including overall effectiveness.",
            [(OUT, (L,), CUR), (G, (OV,), CUR)],
        ),
        # the 2009-2012 looked-after children inspection's own overall judgement
        (
            "The overall effectiveness of services for looked-after children is adequate.",
            [(ADQ, (IC,), CUR)],
        ),
    ],
)
def test_judgements(
    sentence: str, expected: list[tuple[Grade, tuple[Judgement, ...], Role]]
) -> None:
    assert found(sentence) == expected


def test_year_next_to_a_grade_is_kept() -> None:
    (mention,) = find_grades("The council was rated inadequate in 2019.")
    assert mention.year == 2019
    # A grade listed after a dated one shares its date ("in 2012 ... and one area inadequate").
    (mention,) = find_grades("In 2012 most areas were rated adequate and one was rated inadequate.")
    assert (mention.grade, mention.year) == (Grade.INADEQUATE, 2012)
    (mention,) = find_grades("It was rated good by inspectors.")
    assert mention.year is None
    # Five words may stand between the grade and its year ("at their most recent inspection in").
    (mention,) = find_grades(
        "Services were judged adequate at their most recent inspection in 2011."
    )
    assert mention.year == 2011
    # ... and "a rating for <an inspection's name> in 2011" dates the rating
    (mention,) = find_grades(
        "It got a 'good' rating for safeguarding and looked-after children services in 2011 and "
        "is now rated inadequate."
    )[:1]
    assert mention.year == 2011


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ("* Children who need help and protection,", (HP,)),
        ("Leadership, management and governance.", (L,)),
        ("Children looked after (including adoption performance and care leavers)", (IC,)),
        # rows run together when a list loses its bullets
        (
            "the impact of leaders on social work practice the experiences and progress of "
            "children in care and care leavers",
            (L, IC),
        ),
        ("Leaders were praised for their work.", ()),
    ],
)
def test_judgement_rows(row: str, expected: tuple[Judgement, ...]) -> None:
    assert judgement_labels(row) == expected


def test_grade_before_a_participle_of_consequence_is_a_rating() -> None:
    # "rated good contributing to ...": a participle, not a noun the grade describes ("good
    # practice"), follows the grade, so both grades of the sentence are ratings
    sentence = (
        "Leadership and help and protection were both rated outstanding contributing to the "
        "overall judgement of outstanding."
    )
    assert found(sentence) == [(OUT, (L, HP), CUR), (OUT, (OV,), CUR)]


def test_children_in_a_named_councils_care_is_the_in_care_judgement() -> None:
    # "children in Enfield's care": a possessive between "in" and "care" still names the
    # children-in-care judgement
    sentence = "Inspectors rated the experiences and progress of children in Enfield's care 'good'."
    assert found(sentence) == [(G, (IC,), CUR)]


def test_overall_quoted_grade_before_assessment_is_a_rating() -> None:
    # "an overall 'good' assessment": after "overall" the noun is the rating's own
    sentence = "Harrow has received an overall 'good' assessment from Ofsted."
    assert found(sentence) == [(G, (OV,), CUR)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the grade is of what "the quality of" names; "as part of an overall" grade, the
        # overall one, whatever the clause named before it
        (
            "Inspectors praised the 'outstanding' quality of leadership in Bolton's children's "
            "services as part of an overall 'good' rating.",
            [(OUT, (L,), CUR), (G, (OV,), CUR)],
        ),
        ("'Good' children's services leadership commended by inspectors", [(G, (L,), CUR)]),
        # but a judgement given "an overall" grade keeps it
        (
            "The inspection gave leadership and management an overall 'inadequate' rating.",
            [(INAD, (L,), CUR)],
        ),
    ],
)
def test_grade_of_a_quality_and_part_of_an_overall_rating(
    sentence: str, expected: list[tuple[Grade, tuple[Judgement, ...], Role]]
) -> None:
    assert found(sentence) == expected


def test_grade_to_move_from_is_current_and_the_aim_is_not_a_grade() -> None:
    # "recommendations to move services from X to Y": X is where the services stand, Y the aim;
    # a from-to change that happened keeps both
    sentence = "The report sets out the work needed to take the service from inadequate to good."
    assert found(sentence) == [(INAD, (OV,), CUR)]
    assert found("Ofsted moved the council from inadequate to good.") == [
        (INAD, (OV,), PREV),
        (G, (OV,), CUR),
    ]


def test_from_to_in_a_named_category_grades_that_judgement() -> None:
    # "from X to Y in the category assessing the impact of leaders": both grades are that
    # judgement's, not the overall grade and its predecessor
    sentence = (
        "The council was downgraded from outstanding to good in the category assessing the "
        "impact of leaders."
    )
    assert found(sentence) == [(OUT, (L,), PREV), (G, (L,), CUR)]


@pytest.mark.parametrize(
    "sentence",
    [
        # the quality of a piece of work, however qualified, is a report's prose, not a grade
        "Attendance is low and the quality of personal education plans requires improvement.",
        '"However the quality of written plans, often far too long, requires improvement."',
    ],
)
def test_quality_of_the_work_requiring_improvement_is_prose(sentence: str) -> None:
    assert found(sentence) == []


def test_quality_of_the_services_requiring_improvement_is_a_grade() -> None:
    sentence = "The quality of children's services in Leeds requires improvement, Ofsted said."
    assert found(sentence) == [(RI, (OV,), CUR)]


def test_judged_to_be_providing_a_quoted_grade_service_is_a_rating() -> None:
    # the verdict worded as the service given; an unquoted "a good service" in prose is not
    sentence = (
        "Inspectors judged the council's children's services to be providing families in "
        "Rutland with an 'outstanding' service."
    )
    assert found(sentence) == [(OUT, (OV,), CUR)]
    assert found("The charity has been providing families with a good service for years.") == []


def test_a_grade_given_to_it_after_another_areas_grade_is_the_overall_one() -> None:
    # "giving it a 'good' rating": the grade handed to the services, not to the area the
    # clause before graded
    sentence = (
        "Ofsted said the services had improved under 'outstanding leadership', giving it a "
        "'good' rating."
    )
    assert found(sentence)[1] == (G, (OV,), CUR)


def test_a_persons_record_of_moving_services_is_history() -> None:
    # "having previously led X from 'inadequate' to 'outstanding'": a new director's past,
    # both ends of the move earlier than the news
    sentence = (
        "The council has named a new director of children's services, having previously led "
        "a neighbouring department from 'inadequate' to 'outstanding'."
    )
    assert [role for _, _, role in found(sentence)] == [PREV, PREV]
