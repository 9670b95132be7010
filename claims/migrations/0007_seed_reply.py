"""Seed the reply: response templates for the cases the guide's two sentences
do not fit, the case lines around them, and the reply check's rules.

The guide's own template sentences (0002) stay word for word where they fit.
A seller-managed missing item or partial order cannot show the item that did
not arrive, and a claim whose photos are in needs no request for photos: those
cases get the guide's sentence with only that part changed. From here on all
of it is data that admins edit; reversing removes exactly this set.
"""

from django.db import migrations

KX = "kingston_express"
SELLER = "seller_managed"
MISSING = "missing_item"
PARTIAL = "partial_order"
DAMAGED = "damaged_item"
WRONG = "wrong_item"
INTERNATIONAL = "international"
RECEIVED = "received"
NOT_YET = "not_yet"
RESPOND = "how-to-respond-to-the-customer-safe-example"
EVIDENCE = "what-evidence-helps-resolve-these-reports"

# (title, body, fulfillment method, issue type, photos, order)
TEMPLATES = [
    (
        "Seller-managed order: photos received",
        "Thanks for the update, and for the photos. We will review them and resolve this for you.",
        SELLER, "", RECEIVED, 0,
    ),
    (
        "Seller-managed order: missing item",
        "Thanks for the update. Please share photos of the package and the packing materials so "
        "we can review and resolve this for you.",
        SELLER, MISSING, "", 1,
    ),
    (
        "Seller-managed order: partial order",
        "Thanks for the update. Please share photos of the package and the packing materials so "
        "we can review and resolve this for you.",
        SELLER, PARTIAL, "", 1,
    ),
]

# (text, fulfillment method, issue type, destination, photos, order, anchor)
LINES = [
    ("Please include photos of the damaged item, the outer box with its label, and the packing "
     "materials.", "", DAMAGED, "", NOT_YET, 10, EVIDENCE),
    ("Please include photos of the item you received with any label on it, the outer box with "
     "its label, and the packing materials.", "", WRONG, "", NOT_YET, 10, EVIDENCE),
    ("As the item was not in the package, there is no need to photograph it: photos of the outer "
     "box with its label and of the packing materials are what helps.", "", MISSING, "", NOT_YET,
     10, EVIDENCE),
    ("Photos of the outer box with its label, the packing materials and the items that did arrive "
     "help us check what was packed.", "", PARTIAL, "", NOT_YET, 10, EVIDENCE),
    ("We have the photos you already sent, thank you: there is no need to send them again.",
     "", "", "", RECEIVED, 20, EVIDENCE),
    ("As this is an international order, the review can take longer, and customs handling may "
     "affect the outcome. We will keep you updated as it progresses.", "", "", INTERNATIONAL, "",
     30, "international-orders-extra-caution"),
]

# Shared by the refund and replacement rules of both paths.
REFUND = r"""
\b(?:we|i)(?:['’]ll|\s+will|\s+shall|\s+can|\s+could|['’]d|\s+would|\s+(?:am|are|['’]m|['’]re)\s+(?:going|happy|glad)\s+to)(?:\s+\w+){0,4}?\s+(?:refund|reimburse|credit)
\b(?:issue|issuing|issued|process|processing|processed|send|sending|sent|give|giving|offer|offering|arrange|arranging|arranged|initiate|initiated|start|started|authori[sz]e\w*)(?:\s+\w+){0,3}?\s+refund
\brefund(?:ed|ing)?\s+(?:you|your)\b
\b(?:your|a|the|full)\s+refund\s+(?:is|has|will|should|would)\b
\b(?:money|cash)\s+back\b
\b(?:i|we)(?:['’]ve|\s+have)?\s+(?:already\s+|just\s+)?refunded\b
\breimburs\w*
"""
REPLACEMENT = r"""
\b(?:we|i)(?:['’]ll|\s+will|\s+can|\s+could|['’]d|\s+would|\s+(?:am|are|['’]m|['’]re)\s+(?:going|happy|glad)\s+to|['’]ve|\s+have|\s+already|\s+just)?(?:\s+\w+){0,3}?\s+(?:send|sent|ship|shipped|post|posted|dispatch|dispatched|mail|mailed|resend|re-send|reship)\w*(?:\s+\w+){0,3}?\s+(?:replacement|new\s+one|another(?:\s+one)?|a\s+new|the\s+missing|them\s+again|it\s+again)
\breplacement\s+(?:is|has|will|should)\s+(?:be\s+)?(?:on\s+its\s+way|been|sent|shipped|posted|dispatched|out)\b
\b(?:send|ship|post|dispatch)(?:ing)?\s+(?:you\s+)?(?:out\s+)?(?:a\s+)?(?:free\s+)?replacement
\b(?:replace|replacing)\s+(?:it|them|the\s+\w+)\s+(?:for\s+you|today|right\s+away|straight\s+away|now)\b
"""
AFTER_REVIEW = r"""
\b(?:once|after|when|if|following|pending|subject\s+to|depending\s+on)\b[^.]{0,80}\b(?:review\w*|check\w*|look\w*\s+at|seen|see|confirm\w*|photos?|pictures?|pics?|inspect\w*|verif\w*|assess\w*)
\b(?:review\w*|check\w*|photos?|pictures?)\b[^.]{0,60}\b(?:first|before\s+(?:we|i)|then)\b
"""
# (code, name, fulfillment method, issue types, destination, patterns, safe when,
#  the guide's rule, guide section, safer wording, order)
RULES = [
    ("kx-refund", "Offers or promises a refund", KX, [], "", REFUND,
     r"\bkingston\s+express\b[^.]{0,80}\b(?:decide\w*|determin\w*|confirm\w*|review\w*|inspect\w*|apply|applies)",
     "Do not refund immediately", "what-sellers-should-not-do",
     "Kingston Express decides after the inspection: “Once the inspection is complete, the next "
     "steps will be confirmed.”", 10),
    ("kx-replacement", "Offers to send a replacement yourself", KX, [], "", REPLACEMENT, "",
     "Do not ship replacements yourself", "what-sellers-should-not-do",
     "Send nothing yourself: “Once the inspection is complete, the next steps will be "
     "confirmed.”", 20),
    ("admit-fault", "Admits fault", KX, [], "", r"""
\b(?:our|my)\s+(?:own\s+)?(?:fault|mistake|error|bad)\b
\bwe\s+(?:must\s+have\s+|clearly\s+|obviously\s+|probably\s+)?(?:packed|packaged|wrapped|boxed)\s+(?:it|them|this|the\s+\w+)\s+(?:badly|poorly|wrong\w*|incorrectly|carelessly)
\b(?:we|i)\s+(?:really\s+)?(?:messed|screwed|mucked|slipped)\s+up\b
\b(?:we|i)\s+should\s+have\s+(?:packed|wrapped|packaged|checked|used|boxed)
\b(?:we|i)\s+(?:made|make)\s+a\s+mistake\b
\b(?:we|i)\s+(?:take|accept)\s+(?:full\s+)?(?:responsibility|the\s+blame|blame)
\b(?:packed|packaged|wrapped)\s+(?:it\s+|them\s+)?(?:badly|poorly|carelessly)\b
\bthat['’]?s\s+on\s+(?:us|me)\b
\b(?:we|i)\s+(?:forgot|missed|left\s+out)\b
""", "", "Do not admit fault", "what-sellers-should-not-do",
     "Acknowledge calmly without taking the blame: “Thanks for letting us know. Please submit "
     "the issue through your order so it can be reviewed.”", 30),
    ("kx-return-to-seller", "Asks the customer to send the item back to you", KX, [], "", r"""
\b(?:send|post|ship|return|mail|bring|drop)\w*(?:\s+(?:it|them|this|that|everything|the\s+\w+(?:\s+\w+)?))?(?:\s+back)?\s+to\s+(?:us|me|our\s+(?:address|warehouse|shop|store|office|unit)|my\s+(?:address|shop|store))\b
\b(?:send|post|ship|return|mail)\w*\s+(?:it|them|this|the\s+\w+(?:\s+\w+)?)\s+back\b
\breturn\s+label\b
""", "", "Do not ask customers to return items to you", "what-sellers-should-not-do",
     "Kingston Express arranges any return after the inspection: “Please submit the issue "
     "through your order so it can be reviewed.”", 40),
    ("kx-decide-early", "Decides before the inspection", KX, [], "", r"""
\b(?:your\s+|the\s+)?claim\s+(?:is|has\s+been|was|['’]s\s+been)\s+(?:approved|accepted|granted|sorted)
\b(?:we|i)(?:['’]ve|\s+have)?\s+(?:already\s+)?(?:approved|accepted)\s+(?:your|the)\s+(?:claim|request|return|refund)
\b(?:we|i)(?:['’]ve|\s+have)\s+decided\b
\bdecided\s+in\s+your\s+favou?r\b
\byou\s+(?:will|['’]ll|are\s+going\s+to)\s+(?:definitely\s+)?(?:get|receive|be\s+getting|be\s+sent)\s+(?:a\s+|your\s+)?(?:full\s+)?(?:refund|replacement|new\s+one|money)
""", "", "Wait for inspection and review", "what-sellers-should-do-immediately",
     "Leave the decision to the inspection: “Once the inspection is complete, the next steps "
     "will be confirmed.”", 50),
    ("sm-refund-before-review", "Promises a refund before the review", SELLER, [], "", REFUND,
     AFTER_REVIEW, "Refunding before review", "common-seller-mistakes-to-avoid",
     "Review first: “Please share photos of the item and packaging so we can review and resolve "
     "this for you.”", 60),
    ("sm-replacement-before-review", "Promises a replacement before the review", SELLER, [], "",
     REPLACEMENT, AFTER_REVIEW, "Shipping replacements immediately",
     "common-seller-mistakes-to-avoid",
     "Review first, then approve: “Once we have reviewed the photos, we will confirm the next "
     "steps.”", 70),
    ("accuse", "Accuses the customer", "", [], "", r"""
\byou\s+(?:must\s+have\s+|probably\s+|clearly\s+|obviously\s+|likely\s+)?(?:broke|broken|dropped|damaged|smashed|cracked|lost|ruined|misplaced|stole)\b
\bare\s+you\s+(?:really\s+)?(?:sure|certain|lying|telling\s+the\s+truth|trying\s+to)\b
\byou['’]?re\s+(?:lying|making\s+(?:this|it)\s+up|trying\s+to\s+(?:scam|get))\b
\b(?:did|have)\s+you\s+(?:even\s+|actually\s+)?(?:check|look|open|read|search)\w*(?:\s+\w+){0,2}\s+(?:properly|carefully|thoroughly)
\bi\s+(?:really\s+)?(?:doubt|don['’]?t\s+believe|find\s+(?:that|it|this)\s+hard\s+to\s+believe)\b
\b(?:scam|scammer|scamming|fraud\w*|liar|lying)\b
\byour\s+(?:own\s+)?fault\b
\bcustomer\s+error\b
\bhow\s+(?:do|can)\s+(?:i|we)\s+know\s+you\b
\b(?:user|customer)\s+damage\b
""", "", "Accusing customers", "common-seller-mistakes-to-avoid",
     "Stay neutral: “Thanks for letting us know. Please share photos so we can review this.”",
     80),
    ("intl-promise", "Promises a quick or dated resolution on an international order", "", [],
     INTERNATIONAL, r"""
\b(?:resolv|sort|fix|refund|replac|sent|send|ship|arriv|complet|done|deal|settl|process|back\s+to\s+you)\w*\b[^.]{0,40}?\b(?:today|tonight|tomorrow|right\s+away|immediately|straight\s+away|asap|at\s+once|instantly|in\s+no\s+time|this\s+week|(?:by|before|on)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the\s+weekend|end\s+of\s+(?:the\s+)?(?:day|week)|next\s+week)|within\s+(?:\d+|one|two|three|a|a\s+few|24|48|72)\s*(?:hours?|hrs?|days?|working\s+days?|business\s+days?|weeks?)|in\s+(?:\d+|one|two|three|a\s+couple\s+of|a\s+few)\s+(?:hours?|days?|working\s+days?|business\s+days?))\b
\b(?:today|tomorrow|right\s+away|immediately|straight\s+away|asap|within\s+(?:\d+|24|48)\s*(?:hours?|hrs?|days?))\b[^.]{0,30}?\b(?:resolv|sort|fix|refund|replac|sent|ship|arriv|complet|done|settl)\w*
\b(?:instant|immediate|quick|fast|speedy|same[-\s]day|next[-\s]day)\s+(?:resolution|refund|replacement|fix)\b
\b(?:guarantee|promise)\w*\b[^.]{0,40}\b(?:by|within|today|tomorrow)\b
""", "", "Never promise instant resolution for international cases.",
     "international-orders-extra-caution",
     "Set the expectation without a date: “International claims can take longer; we will keep "
     "you updated.”", 90),
    ("missing-item-photos", "Asks for photos of an item that did not arrive", "", [MISSING, PARTIAL],
     "", r"""
\b(?:photo|photos|photograph|photographs|picture|pictures|pic|pics|image|images|snap|snaps|shot|shots)\s+of\s+(?:the\s+|your\s+|this\s+)?(?:missing\s+)?(?:item|product|items|products)\b
\b(?:photograph|snap|take\s+a\s+(?:photo|picture|pic)\s+of)\s+(?:the\s+|your\s+)?(?:missing\s+)?(?:item|product)s?\b
\b(?:item|product)\s+(?:photos?|pictures?|pics?|images?)\b
""", r"\b(?:did|that|which|you)\s+(?:arrive|arrived|came|come|got|received|receive)\b|\breceived\b",
     "Photos of the item (if damaged)", EVIDENCE,
     "Ask only for what exists: “Please share photos of the package and the packing materials.”",
     100),
]


def seed(apps, schema_editor):
    ResponseTemplate = apps.get_model("claims", "ResponseTemplate")
    ReplyLine = apps.get_model("claims", "ReplyLine")
    ReplyCheckRule = apps.get_model("claims", "ReplyCheckRule")
    for title, body, method, issue, photos, order in TEMPLATES:
        ResponseTemplate.objects.create(
            title=title, body=body, fulfillment_method=method, issue_type=issue, photos=photos,
            order=order, guide_anchor=RESPOND,
        )
    for text, method, issue, destination, photos, order, anchor in LINES:
        ReplyLine.objects.create(
            text=text, fulfillment_method=method, issue_type=issue, destination=destination,
            photos=photos, order=order, guide_anchor=anchor,
        )
    for (code, name, method, issues, destination, patterns, safe_when, rule_text, anchor,
         suggestion, order) in RULES:
        ReplyCheckRule.objects.create(
            code=code, name=name, fulfillment_method=method, issue_types=issues,
            destination=destination, patterns=patterns.strip(), safe_when=safe_when.strip(),
            rule_text=rule_text, guide_anchor=anchor, suggestion=suggestion, order=order,
        )


def unseed(apps, schema_editor):
    apps.get_model("claims", "ResponseTemplate").objects.filter(
        title__in=[row[0] for row in TEMPLATES]
    ).delete()
    apps.get_model("claims", "ReplyLine").objects.filter(text__in=[row[0] for row in LINES]).delete()
    apps.get_model("claims", "ReplyCheckRule").objects.filter(
        code__in=[row[0] for row in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_reply")]

    operations = [migrations.RunPython(seed, unseed)]
