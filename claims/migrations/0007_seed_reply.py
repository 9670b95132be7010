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
# The guide's "Seller-Managed Order" example, which these templates adapt.
SELLER_EXAMPLE = "seller-managed-order-2"
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

# The reply check's rules. Each rule's patterns are text, one regular
# expression per line (case-insensitive), as admins edit them. Building blocks
# shared by several lines are written once below as %NAME% and filled in
# before the rules are stored, so what is stored is plain expressions.
_BLOCKS = {
    # "we", "I" with what may follow: "we'll", "ill", "I have", "we are".
    "SUBJ": r"\b(?:we|i)(?:['’]?(?:ll|ve|d|m|re)|\s+(?:will|wil|shall|can|could|would|have|had|am|are))?\b",
    # Words that may stand between the subject and the verb; no negation among them.
    "FILL": r"(?:\s+(?:also|just|already|then|now|happily|gladly|definitely|certainly|simply|personally|immediately|quickly|fully|gone|go|ahead|and|be|am|are|going|happy|glad|able|to|get|arrange|make|sure|totally|absolutely|promptly|will|can|could|would|have|do|actually|still|sort|of)){0,5}",
    # refund, with the typos sellers make: "refud", "refnd".
    "REFUND": r"ref(?:u?n|u)d",
    "REPLACEMENT": r"repl?ac?e?m[ae]?nt",
    # What is sent when a replacement is: "a replacement", "a new one", "the correct size".
    "SENT": r"(?:(?:a|the|your|ur)\s+)?(?:(?:free|brand\s+new|new)\s+)?repl?ac?e?m[ae]?nt\w*|(?:a\s+)?(?:brand\s+)?new\s+(?:one|\w+)|another(?:\s+one)?|(?:a\s+)?fresh\s+(?:one|\w+)|(?:(?:the|a|your|ur)\s+)?(?:correct|right|proper|missing)\s+(?:one|\w+)|(?:it|them)\s+(?:out\s+)?again",
    "SEND": r"(?:re-?)?(?:send|sent|ship|post|dispatch|mail|courier)",
    # When something will happen, for the international rule.
    "WHEN": r"(?:today|tonight|tomorrow|right\s+away|immediately|straight\s+away|asap|at\s+once|instantly|in\s+no\s+time|this\s+(?:week|weekend|afternoon|evening|morning)|(?:early\s+)?next\s+week|first\s+thing|overnight|in\s+a\s+day\s+or\s+two|\d+\s*(?:-|–|to)\s*\d+\s+(?:working\s+|business\s+)?days|\d+\s*(?:h|hrs?|hours)|(?:by|before)\s+the\s+end\s+of\s+(?:the\s+|this\s+|next\s+)?(?:day|week|month)|(?:by|before|on|until|no\s+later\s+than)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|the\s+weekend|end\s+of\s+(?:the\s+)?(?:day|week)|next\s+week|tomorrow|(?:the\s+)?\d{1,2}(?:st|nd|rd|th)?)|(?:within|in)\s+(?:\d+|one|two|three|four|five|a|a\s+few|a\s+couple\s+of)(?:\s*(?:-|–|to)\s*\d+)?\s*(?:hours?|hrs?|days?|working\s+days?|business\s+days?|weeks?))",
    "DO": r"(?:resolv|solv|sort|fix|refund|refud|replac|credit|approv|sen[dt]|ship|post|dispatch|deliver|arriv|reach|receiv|complet|done|deal|settl|process|handl|expect|land|with\s+you|back\s+to\s+you|go(?:ing|es|ne)?\s+out|get\s+(?:it|them|this|your|a|the)|hav(?:e|ing)\s+(?:it|them|this))",
    "PHOTO": r"(?:photo|photograph|picture|pic|image|snap|shot)s?",
    # Kingston Express as the one who decides or acts.
    "KX": r"\bkingston\s+express\s+(?:will\s+|would\s+|may\s+|might\s+|can\s+|could\s+|should\s+|then\s+|to\s+|team\s+will\s+)?(?:decide|determin|confirm|review|inspect|appl|handl|arrang|process|issu|sort|refund|check|assess|look|send|ship|replac)\w*",
}


def _fill(text):
    for name, block in _BLOCKS.items():
        text = text.replace(f"%{name}%", block)
    return text


# Shared by the refund and replacement rules of both paths.
REFUND = _fill(r"""
%SUBJ%%FILL%\s+(?:%REFUND%|reimburs|credit|compensat)\w*
%SUBJ%%FILL%\s+(?:cover|pay\s+for)\s+(?:the|your)\s+(?:cost|postage|shipping|return)
\b(?:issu|process|send|sent|giv|gave|offer|arrang|initiat|start|authori[sz]|pop|put|push|approv|sort|rais|do|done|did)\w*\s+(?:you\s+|u\s+|through\s+|out\s+)?(?:(?:a|an|the|your|ur|that|this)\s+)?(?:(?:full|partial|complete|quick|immediate|instant)\s+)?%REFUND%\b
\b%REFUND%\s+(?:(?:is|has|was|will|should|now|already|just|been|be|['’]s)\s+)*(?:on\s+(?:its|the)\s+way|issued|processed|approved|sent|done|sorted|authori[sz]ed|initiated|arranged|coming|going\s+through|gone\s+through|in\s+progress|complete|granted|underway|heading|with\s+you|in\s+your\s+(?:account|bank)|back\s+(?:in|on|to)\s+your)\b
\b%REFUND%(?:ed|ing)?\s+(?:you|u|ya|your|ur|the\s+(?:full|postage|cost|amount|difference|money|price|shipping|delivery|balance|item|order))\b
\byou(?:['’]?ll|\s+will|\s+are\s+going\s+to|['’]re\s+going\s+to|\s+should)\s+(?:(?:definitely|certainly|still|now|soon)\s+)?(?:get|receive|be\s+getting|see|have)\s+(?:(?:a|your|the|ur)\s+)?(?:full\s+)?(?:%REFUND%|money\s+back)
\b(?:money|cash|amount|payment|funds?|cost)\s+back\b
\breimburs\w*
\b(?:store|account|shop)\s+credit\b
\b(?:pay|paid|paying)\s+(?:you|u)\s+back\b
\b(?:send|sent|transferr?\w*)\s+(?:you\s+|u\s+)?(?:the\s+)?(?:money|funds|payment|[£$€]\s?\d+)
\b(?:been|be|get|got|getting)\s+(?:fully\s+)?%REFUND%ed\b
\bget\s+(?:a|the|your|ur)\s+%REFUND%\s+(?:sorted|processed|done|going|started|out|through|over)
\bwould\s+you\s+(?:like|prefer)\s+(?:a\s+|me\s+to\s+)?(?:full\s+)?(?:%REFUND%|your\s+money\s+back)
\b(?:add|giv|gave|send|sent|issu|offer|pop|put|appl)\w*\s+(?:you\s+)?(?:an?\s+)?(?:[£$€]\s?\d+\s+)?(?:credit\s+note|voucher|gift\s+card|discount\s+code|goodwill)
""")
REPLACEMENT = _fill(r"""
%SUBJ%%FILL%\s+(?:%SEND%|get|got|sort|pop|put|arrang|organi[sz]|order|swap|exchang|prepar|pack|wrap|box|reserv|set\s+aside|put\s+aside)\w*\b(?:(?!%REFUND%|credit)[^.,;!?]){0,20}?\b(?:%SENT%)
%SUBJ%%FILL%\s+%SEND%\w*\s+(?:it|them|one)\s+(?:(?:out|over|back)\s+)?to\s+(?:you|u)\b
\b%SEND%(?:ing|s)?\s+(?:(?:you|u|out|over|off)\s+)*(?:%SENT%)
\bget(?:ting)?\s+(?:%SENT%)\s+(?:out|over|off|sent|posted|shipped)\b
%SUBJ%%FILL%\s+(?:pop|put|send|get)\w*\s+(?:one|another|a\s+new\s+one|it|them)\s+in\s+the\s+(?:post|mail)\b
\b%SEND%\w*\s+(?:you\s+|u\s+)?one\s+(?:out|over|free|today|tomorrow|now|right\s+away|straight\s+away|asap|as\s+soon)
\b(?:happy|glad|able|going)\s+to\s+(?:replace|swap|exchange)\s+(?:it|them|this|that|the\s+\w+)\b
%SUBJ%%FILL%\s+(?:remak\w*|make\s+(?:you\s+)?(?:a\s+new|another))
\b(?:it|they)(?:['’]s|['’]re|\s+is|\s+are|\s+will\s+be)\s+(?:already\s+)?(?:on\s+(?:its|their|the)\s+way|in\s+the\s+(?:post|mail))
\bwould\s+you\s+(?:like|prefer)\s+(?:me\s+to\s+send\s+)?(?:%SENT%)
%SUBJ%%FILL%\s+(?:replace|swap|exchange|re-?send)\s+(?:it|them|this|that|these|those|the\s+\w+|your\s+\w+|ur\s+\w+|u|you|for\s+you)\b
\b(?:replace|replacing|swap|swapping)\s+(?:it|them|the\s+\w+)\s+(?:for\s+you|today|right\s+away|straight\s+away|now)\b
\b(?:%REPLACEMENT%\w*|new\s+one|another\s+one|fresh\s+one|(?:correct|right|missing)\s+(?:one|item|size|colou?r|\w+)s?)\s+(?:(?:is|has|was|will|are|['’]s|should|shall|be|been|already|now|just|being)\s+)*(?:on\s+(?:its|the|their)\s+way|in\s+the\s+(?:post|mail)|going\s+out|gone\s+out|go(?:es)?\s+out|sent|shipped|posted|dispatched|packed|out|coming|heading|leaving|with\s+you|ready|ships|shipping|arriving)\b
""")
AFTER_REVIEW = r"""
\b(?:once|after|when|following|pending|subject\s+to|depending\s+on|as\s+soon\s+as|until)\b[^.]{0,60}?\b(?:review\w*|check\w*|look\w*\s+(?:at|into|over)|seen|see|confirm\w*|inspect\w*|verif\w*|assess\w*|compar\w*|investigat\w*|examin\w*|photos?|pictures?|pics?|records?)
\bif\b[^.]{0,40}?\b(?:review\w*|check\w*|inspect\w*|confirm\w*|verif\w*|turns?\s+out)
\b(?:photos?|pictures?|pics?|tracking|records?|review|inspection)\b[^.]{0,30}\b(?:show|shows|confirm|confirms|prove|proves)\b
\b(?:after|once)\s+(?:that|this|which)\b
\b(?:we|i)(?:['’]ve|\s+have)\s+(?:now\s+|just\s+|already\s+)?(?:reviewed|checked|looked\s+(?:at|into|over)|seen|inspected|verified|assessed|compared|gone\s+through)
\bhaving\s+(?:now\s+)?(?:reviewed|checked|looked\s+(?:at|into|over)|seen|inspected|verified)
\b(?:review\w*|check\w*|photos?|pictures?)\b[^.]{0,60}\b(?:first|before\s+(?:we|i)|then)\b
"""
KX_DECIDES = _fill(r"""
%KX%
\b(?:up\s+to|decided\s+by|handled\s+by|for)\s+kingston\s+express\b
""")
# (code, name, fulfillment method, issue types, destination, patterns, safe when,
#  the guide's rule, guide section, safer wording, order)
RULES = [
    ("kx-refund", "Offers or promises a refund", KX, [], "", REFUND, KX_DECIDES,
     "Do not refund immediately", "what-sellers-should-not-do",
     "Kingston Express decides after the inspection: “Once the inspection is complete, the next "
     "steps will be confirmed.”", 10),
    ("kx-replacement", "Offers to send a replacement yourself", KX, [], "", REPLACEMENT,
     KX_DECIDES,
     "Do not ship replacements yourself", "what-sellers-should-not-do",
     "Send nothing yourself: “Once the inspection is complete, the next steps will be "
     "confirmed.”", 20),
    ("admit-fault", "Admits fault", KX, [], "", r"""
\b(?:our|my)\s+(?:own\s+|entire\s+|completely\s+|totally\s+|entirely\s+|fully\s+)?(?:fault|mistake|error|bad|mix-?up|oversight|screw-?up|cock-?up|slip-?up)\b
\b(?:mistake|error|mix-?up|slip-?up|fault|oversight)\s+(?:on|at)\s+(?:our|my)\s+(?:side|end|part)\b
\bwe\s+(?:must\s+have\s+|clearly\s+|obviously\s+|probably\s+)?(?:packed|packaged|wrapped|boxed)\s+(?:it|them|this|the\s+\w+)\s+(?:badly|poorly|wrong\w*|incorrectly|carelessly)
\bwe\s+(?:must\s+have\s+|clearly\s+|obviously\s+|probably\s+)?(?:didn['’]?t|did\s+not|failed\s+to|forgot\s+to)\s+(?:pack|wrap|check|package|protect|include|put|add)\w*
\b(?:we|i)(?:['’]ve|\s+have)?\s+(?:really\s+|totally\s+)?(?:messed|screwed|mucked|slipped|cocked)\s+up\b
\b(?:we|i)\s+(?:dropped\s+the\s+ball|got\s+(?:it|this|that|your\s+order)\s+wrong|let\s+you\s+down)\b
\b(?:we|i)\s+should\s+have\s+(?:packed|wrapped|packaged|checked|used|boxed)
\b(?:we|i)(?:['’]ve|\s+have)?\s+(?:made|make)\s+a\s+mistake\b
\b(?:we|i)\s+(?:take|accept)\s+(?:full\s+)?(?:responsibility|the\s+blame|blame)
\b(?:we|i)(?:['’]ve|\s+have)?\s+(?:clearly\s+|obviously\s+|must\s+have\s+)?(?:sent|packed|shipped|posted|picked)\s+(?:you\s+)?(?:the\s+)?wrong\b
\b(?:packed|packaged|wrapped)\s+(?:it\s+|them\s+)?(?:badly|poorly|carelessly)\b
\b(?:this|that|it)(?:['’]?s|\s+is|\s+was)\s+(?:(?:all|totally|completely|entirely)\s+)?on\s+(?:us|me)\b
\b(?:our|my)\s+(?:packaging|packing|wrapping)\s+(?:wasn['’]?t|was\s+not|was\s+(?:poor|inadequate|bad|insufficient)|let\s+(?:you|it)\s+down|failed)
\b(?:our|my)\s+responsibility\b
\b(?:we|i)(?:['’]ve|\s+have)?\s+(?:must\s+have\s+|clearly\s+|obviously\s+|probably\s+)?(?:forgot(?:ten)?|missed|left\s+(?:it|them|\w+\s+)?out|overlooked|mixed\s+(?:it|them|\w+\s+)?up|mislabell?ed)\b
\b(?:our|my)\s+(?:packer|packers|packing|warehouse|team|staff)\s+(?:must\s+have\s+|clearly\s+|obviously\s+|probably\s+)?(?:made|messed|forgot|missed|didn['’]?t|failed|packed\s+(?:it\s+|them\s+)?(?:wrong|badly|poorly))
\b(?:apologi[sz]e|sorry)\s+for\s+(?:our|my)\s+(?:mistake|error|mix-?up|carelessness|oversight|poor\s+packing)
\b(?:we|i)(?:['’]re|\s+are|['’]m|\s+am)\s+(?:to\s+blame|at\s+fault|responsible\s+for\s+(?:this|the\s+damage|that))
\b(?:wasn['’]?t|was\s+not|weren['’]?t|were\s+not)\s+(?:packed|wrapped|packaged|protected|checked|padded)\s+(?:properly|well|securely|correctly|carefully|enough|right)
\bshould\s+have\s+been\s+(?:packed|wrapped|packaged|protected|checked|padded)\s+(?:better|more)
""", "", "Do not admit fault", "what-sellers-should-not-do",
     "Acknowledge calmly without taking the blame: “Thanks for letting us know. Please submit "
     "the issue through your order so it can be reviewed.”", 30),
    ("kx-return-to-seller", "Asks the customer to send the item back to you", KX, [], "", r"""
\b(?:send|post|ship|return|mail|bring|drop|pop|courier)\w*\b(?!\s+(?:me\s+|us\s+)?(?:(?:a|the|some|your|any|clear)\s+)?(?:photo|pic|picture|image|order\s+number|details|email|message))[^.,;!?]{0,40}?\b(?:back\s+)?to\s+(?:us|me|our\s+(?:address|warehouse|shop|store|office|unit|workshop|studio|returns)|my\s+(?:address|shop|store|workshop))\b
\b(?:send|post|ship|return|mail|pop|courier)\w*\s+(?:it|them|this|that|these|those|everything|both|all|the\s+\w+(?:\s+\w+)?)\s+back\b(?!\s+to\s+(?:them|kingston))
\breturns?\s+label\b
\b(?:our|my)\s+returns?\s+address\b
""", KX_DECIDES, "Do not ask customers to return items to you", "what-sellers-should-not-do",
     "Kingston Express arranges any return after the inspection: “Please submit the issue "
     "through your order so it can be reviewed.”", 40),
    ("kx-decide-early", "Decides before the inspection", KX, [], "", _fill(r"""
\b(?:claim|%REFUND%|%REPLACEMENT%|return|request|exchange|case)\s*(?:(?:is|has|was|been|now|already|['’]s)\s+)*(?:approved|accepted|granted|authori[sz]ed|confirmed)\b
\b(?:we|i)(?:['’]ll|\s+will|['’]ve|\s+have)\s+(?:already\s+|just\s+|now\s+|gone\s+ahead\s+and\s+)?(?:approve|accept|authori[sz]e|grant|ok|okay|sign\w*\s+off)\w*\s+(?:on\s+)?(?:your|the|ur|this|it)\b
\b(?:no\s+need|don['’]?t\s+need|do\s+not\s+need|won['’]?t\s+need)\s+to\s+wait\s+for\s+(?:an?\s+|the\s+|any\s+)?(?:inspection|review)
\byou(?:['’]ll|\s+will)\s+(?:definitely\s+|certainly\s+)?be\s+(?:fully\s+)?(?:%REFUND%ed|reimbursed|compensated)
\b(?:we|i)(?:['’]ve|\s+have|\s+had)?\s+(?:already\s+|just\s+|now\s+)?(?:approved|accepted|granted)\s+(?:your|the|ur)\s+(?:claim|request|return|refund|replacement|exchange)
\b(?:we|i)(?:['’]ve|\s+have)\s+(?:already\s+)?decided\b
\bdecided\s+in\s+your\s+favou?r\b
\b(?:we|i)(?:['’]ve|\s+have)\s+(?:already\s+)?(?:agreed|chosen)\s+to\b
\byou(?:['’]re|\s+are)\s+(?:definitely\s+|certainly\s+)?(?:entitled|eligible)\s+(?:to|for)\b
\byou\s+(?:definitely\s+)?qualify\s+for\b
\byou\s+(?:will|['’]ll|are\s+going\s+to)\s+(?:definitely\s+|certainly\s+)?(?:get|receive|be\s+getting|be\s+sent)\s+(?:a\s+|your\s+)?(?:full\s+)?(?:refund|replacement|new\s+one|money)
"""), r"\b(?:once|if|after|when|until)\b[^.]{0,40}\b(?:approved|accepted|granted)\b", "Wait for inspection and review", "what-sellers-should-do-immediately",
     "Leave the decision to the inspection: “Once the inspection is complete, the next steps "
     "will be confirmed.”", 50),
    ("sm-refund-before-review", "Promises a refund before the review", SELLER, [], "", REFUND,
     AFTER_REVIEW, "Refunding before review", "common-seller-mistakes-to-avoid",
     "Review first, then decide: “Once we have reviewed the photos, we will confirm the next "
     "steps.”", 60),
    ("sm-replacement-before-review", "Promises a replacement before the review", SELLER, [], "",
     REPLACEMENT, AFTER_REVIEW, "Shipping replacements immediately",
     "common-seller-mistakes-to-avoid",
     "Review first, then approve: “Once we have reviewed the photos, we will confirm the next "
     "steps.”", 70),
    ("accuse", "Accuses the customer", "", [], "", r"""
\byou(?:['’]?ve|\s+have)?\s+(?:(?:must\s+have|must['’]?ve|probably|clearly|obviously|likely|just|simply|actually|definitely)\s+)*(?:broke|broken|dropped|damaged|smashed|cracked|ruined|stole|stolen|miscounted|misread|misunderstood|threw|thrown|binned|(?:ordered|chose|picked|selected|clicked)\s+(?:the\s+)?wrong)\b
\byou\s+(?:must\s+have|must['’]?ve|probably|clearly|obviously|likely)\s+(?:just\s+)?(?:lost|misplaced|missed|forgot\w*|overlooked|put|left|thrown|threw|mixed|opened|ordered|damaged)\b
\bare\s+you\s+(?:(?:really|absolutely|quite)\s+)?(?:sure|certain|positive)\b(?!\s+(?:that\s+)?you\s+(?:want|would|need|wish|['’]?d\s+like))
\bare\s+you\s+(?:really\s+)?(?:lying|telling\s+the\s+truth|trying\s+to)\b
\byou['’]?re\s+(?:lying|making\s+(?:this|it)\s+up|trying\s+to\s+(?:scam|get))\b
\b(?:did|have)\s+you\s+(?:even|actually|really|definitely|honestly|properly)\s+(?:check|look|open|read|search|count|tr(?:y|ied))\w*
\b(?:did|have)\s+you\s+(?:even\s+|actually\s+)?(?:check|look|open|read|search|count)\w*(?:\s+\w+){0,2}\s+(?:properly|carefully|thoroughly)
\bi\s+(?:really\s+)?(?:doubt|don['’]?t\s+believe|find\s+(?:that|it|this)\s+hard\s+to\s+believe)\b
\b(?:want|after|looking\s+for|trying\s+to\s+get)\s+(?:a\s+)?free\s+(?:swap|replacement|item|refund|one|stuff|upgrade)
\b(?:scam|scammer|scamming|fraud\w*|liar|lying)\b
\b(?:you|u)\s+(?:should\s+have|shouldn['’]?t\s+have|need\s+to\s+be\s+more\s+careful|didn['’]?t\s+(?:look|check|read|search|count|open|see|notice))\b
\b(?:maybe|perhaps|possibly|i\s+think|i\s+suspect|i\s+bet|probably)\s+(?:you|u|someone|somebody|a\s+(?:family\s+member|neighbou?r))\s+(?:\w+\s+)?(?:broke|dropped|damaged|lost|misplaced|took|opened|threw|missed|forgot|miscounted|ordered|mixed|put|moved|didn['’]?t)
\b(?:someone|somebody)\s+(?:else\s+)?(?:in|at)\s+your\s+(?:house|household|home|family|address)
\b(?:so-called|supposedly|allegedly)\b
\b(?:nobody|no\s+one|no\s+other\s+customer)\s+(?:else\s+)?has\s+(?:ever\s+)?(?:complained|had|reported)
\byou(?:['’]?re|\s+are)\s+(?:(?:clearly|obviously|simply|just)\s+)?(?:mistaken|wrong|confused)\b
\byou\s+got\s+(?:it|this|that)\s+wrong\b
\b(?:look|check|search)\w*\s+(?:(?:the\s+box|it|again)\s+)?(?:properly|more\s+carefully|harder)\b
\byou\s+(?:\w+\s+)?mis(?:used|handled)\b
\byour\s+(?:own\s+)?fault\b
\bcustomer\s+error\b
\bhow\s+(?:do|can)\s+(?:i|we)\s+know\s+you\b
\b(?:user|customer)\s+damage\b
""", "", "Accusing customers", "common-seller-mistakes-to-avoid",
     "Stay neutral: “Thanks for letting us know. Please share photos so we can review this.”",
     80),
    ("intl-promise", "Promises a quick or dated resolution on an international order", "", [],
     INTERNATIONAL, _fill(r"""
\b%DO%\w*\b[^.]{0,40}?\b%WHEN%(?!\w)
\b%WHEN%\b[^.]{0,30}?\b%DO%
\b(?:instant|immediate|quick|fast|speedy|same[-\s]day|next[-\s]day)\s+(?:resolution|refund|replacement|fix|turnaround|delivery|dispatch|shipping)\b
\b(?:guarantee|promise|assure)\w*\b[^.]{0,40}\b(?:by|within|today|tomorrow|quick\w*|fast|soon|right\s+away|immediately)\b
\b(?:won['’]?t|will\s+not|shouldn['’]?t|doesn['’]?t|should\s+not)\s+take\s+(?:long|more\s+than|over)\b
"""), "", "Never promise instant resolution for international cases.",
     "international-orders-extra-caution",
     "Set the expectation without a date: “International claims can take longer; we will keep "
     "you updated.”", 90),
    ("missing-item-photos", "Asks for photos of an item that did not arrive", "", [MISSING, PARTIAL],
     "", _fill(r"""
\b%PHOTO%\s+(?:of|showing|that\s+shows?)\s+(?:(?:the|your|this|that|those|these|both|any)\s+)?(?:\w+\s+)?(?:missing|lost)\b
\bphotograph\w*\s+(?:(?:the|your|what['’]?s|what\s+is)\s+)?(?:\w+\s+)?missing\b
\b%PHOTO%\s+(?:of|showing)\s+what(?:['’]s|\s+is|\s+was|\s+went)\s+missing\b
\b%PHOTO%\s+of\s+(?:(?:the|your|this)\s+)?(?:missing\s+)?(?:item|product|part|piece)s?\b
\b%PHOTO%\s+of\s+(?:(?:the|your)\s+)?\w+(?:\s+\w+)?\s+(?:you|that|which)\s+(?:did\s+not|didn['’]?t|never)\s+(?:receive|get|arrive)
\b(?:photograph|snap|take\s+an?\s+(?:photo|picture|pic)\s+of)\s+(?:(?:the|your)\s+)?(?:missing\s+)?(?:item|product|part|piece)s?\b
\b(?:item|product)\s+(?:photos?|pictures?|pics?|images?)\b
"""), r"""
\b(?:did|that|which|you)\s+(?:arrive|arrived|came|come|got|received|receive)\b|\breceived\b
\b(?:only|just)\s+(?:needed|required|necessary|useful|for)\b[^.]{0,30}\bdamag
""",
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
            order=order, guide_anchor=SELLER_EXAMPLE,
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
