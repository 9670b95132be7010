"""A page for the browser tests that shows the guidance partials as the
result page will, before the result page exists on this branch."""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from claims.choices import DamageSeverity, FulfillmentMethod, IssueType
from claims.facts import ClaimFacts
from claims.selectors import guidance_for
from helpcentre import urls as project_urls

PAGE = engines["django"].from_string(
    """{% extends "base.html" %}{% load static %}
{% block extra_css %}<link rel="stylesheet" href="{% static 'css/claim.css' %}">{% endblock %}
{% block content %}<h1>Claim guidance for order {{ order_number }}</h1>
{% include "claims/_guidance.html" %}
<h2>Photos</h2>
{% include "claims/_evidence_rules.html" with evidence_rules=guidance.evidence_rules %}
{% endblock %}"""
)


def guidance_page(request, method, issue, destination):
    facts = ClaimFacts(
        issue_type=IssueType(issue),
        fulfillment_method=FulfillmentMethod(method),
        is_international=destination == "international",
        severity=DamageSeverity(request.GET["severity"]) if "severity" in request.GET else None,
    )
    context = {
        "guidance": guidance_for(facts),
        "order_number": "KX-48213579",
        "customer_email": request.GET.get("email", ""),
        "issue_label": IssueType(issue).label,
    }
    return HttpResponse(PAGE.render(context, request))


urlpatterns = [
    path("guidance/<str:method>/<str:issue>/<str:destination>/", guidance_page),
    # The site header links to search and the guide: the page needs their names.
    *project_urls.urlpatterns,
]
