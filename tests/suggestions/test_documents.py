"""The urging letter (督办函): drawn from an urging event on the assignment's timeline, a valid
PDF in the built-in Chinese font, the same letter every time it is printed."""

import pytest

from congress.models import Event
from suggestions import documents, selectors, services

pytestmark = pytest.mark.django_db


def test_urging_letter_is_a_valid_pdf_of_an_urging_event_on_the_timeline(flow, staff_admin):
    assignment = flow.assigned()
    services.assignment_urge(actor=staff_admin, assignment=assignment, note="请于本月底前当面答复代表")
    event = Event.objects.for_object(assignment).get(verb="urged")

    pdf = documents.urging_letter_pdf(assignment, event)

    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/STSong-Light" in pdf and b"/UniGB-UCS2-H" in pdf  # CJK text in the built-in CID font
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") >= 1
    # The letter stands for an event on the proposal's timeline, and printing it changes nothing.
    timeline = list(selectors.timeline(assignment.proposal).values_list("verb", flat=True))
    assert timeline.count("urged") == 2  # on the assignment and on the proposal
    events_before = Event.objects.count()
    documents.urging_letter_pdf(assignment, event)
    assert Event.objects.count() == events_before


def test_urging_letter_number_names_the_year_and_the_event(flow, staff_admin):
    assignment = flow.assigned()
    services.assignment_urge(actor=staff_admin, assignment=assignment, note="催办")
    event = Event.objects.for_object(assignment).get(verb="urged")
    assert str(event.pk) in documents.letter_number(event)
    assert documents.urging_letter_filename(event) == f"urging-letter-{event.pk}.pdf"
