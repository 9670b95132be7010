"""The reply check's seeded rules, read more widely: lines added to the
patterns and "safe when" of the rules 0007 seeded.

A rule an admin has edited since (its patterns or "safe when" no longer the
seeded text) keeps the admin's text; reversing restores the 0007 text only
where the text is still exactly what this migration wrote.
"""

import importlib

from django.db import migrations, models

# Pieces shared by several lines, filled in before the rules are stored
# (0007's blocks, so the added lines read like the seeded ones).
_BLOCKS = {
    name: importlib.import_module("claims.migrations.0007_seed_reply")._BLOCKS[name]
    for name in ("SUBJ", "FILL", "REFUND", "REPLACEMENT", "SENT", "SEND", "WHEN", "DO", "PHOTO")
}


def _fill(text):
    for name, block in _BLOCKS.items():
        text = text.replace(f"%{name}%", block)
    return text


# Shared by the refund rules of both paths: a refund got, arranged, paid or
# announced in words 0007 did not list.
REFUND = _fill(r"""
%SUBJ%%FILL%\s+(?:(?:a|an|the|your|ur|that)\s+)?(?:(?:full|partial|complete|quick|immediate|instant|prompt)\s+)?(?:%REFUND%|reimbursement|compensation)\b(?!\s+(?:policy|option|button|page|request|form|process|rules?|terms))
%SUBJ%%FILL%\s+(?:pay|paying)\s+(?:you\s+)?(?:for|back)\b
\bcheck\s+for\s+(?:the\s+)?(?:full\s+)?(?:amount|cost|price|[£$€]\s?\d+)
\byou(?:['’]ll|\s+will|\s+are\s+going\s+to|['’]re\s+going\s+to)\s+(?:(?:definitely|certainly|still)\s+)?be\s+(?:fully\s+)?(?:%REFUND%ed|reimbursed|compensated|credited|paid\s+back)
\bconsider\s+(?:it|this|that|yourself)\s+(?:fully\s+)?(?:%REFUND%ed|reimbursed|compensated)
\b(?:your\s+|the\s+)?(?:money|funds|payment|cash)\s+(?:will|should|['’]ll|is\s+going\s+to)\s+be\s+(?:back|returned|%REFUND%ed|credited|with\s+you|in\s+your)
\b(?:give|offer|send|knock|take|tak|do)\w*\s+(?:you\s+)?(?:\d+\s?%|[£$€]\s?\d+|half|the\s+price\s+of\s+\w+(?:\s+\w+)?)\s+off\b
\b\d+\s?%\s+(?:off|discount)\b
\b%REFUND%['’]s\s+(?:been\s+|now\s+|already\s+)*(?:done|sorted|issued|processed|sent|on\s+(?:its|the)\s+way|gone\s+through|approved|through|coming)\b
\b(?:money|funds|payment|cash|amount)(?:['’]s|\s+is|\s+has)\s+(?:been\s+|now\s+|already\s+)*(?:returned|%REFUND%ed|credited|sent|paid|back)\b
\b(?:which|whether)\s+(?:you(?:['’]d|\s+would)\s+(?:prefer|like|rather)|(?:do\s+)?you\s+(?:want|prefer))\b[^.]{0,30}\b(?:%REFUND%|money\s+back)
""")
# A replacement shipped or on its way, in words 0007 did not list.
REPLACEMENT = _fill(r"""
%SUBJ%%FILL%\s+(?:ship|post|dispatch|courier|send)\w*\s+(?:it|them|that|this|one)\s+(?:out\s+|off\s+)?(?:separately|today|tonight|tomorrow|now|straight\s+away|right\s+away|asap|first\s+thing|this\s+(?:week|morning|afternoon|evening)|next\s+week|again|on\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday))\b
\b(?:%REPLACEMENT%\w*|new\s+one|another\s+one|(?:correct|right|missing)\s+(?:one|\w+))\s+(?:reaches|arrives|gets\s+to|is\s+with)\s+(?:you|u)\b
\b(?:it|they|one)(?:['’]s|['’]re|\s+is|\s+are|\s+will|['’]ll)\s+(?:already\s+)?(?:being\s+(?:packed|sent|shipped|posted|dispatched|wrapped)|go(?:ing)?\s+out\s+(?:with|in|on|by|today|tomorrow|tonight|first)|be\s+(?:sent|shipped|posted|dispatched)\s+(?:out\s+)?(?:with|today|tomorrow|tonight|first|this|on\s+\w+day))
\bconsider\s+(?:it|this|that)\s+replaced\b
\b(?:a\s+)?(?:free|complimentary)\s+(?:%REPLACEMENT%\w*|new\s+one)\b
\b(?:which|whether)\s+(?:you(?:['’]d|\s+would)\s+(?:prefer|like|rather)|(?:do\s+)?you\s+(?:want|prefer))\b[^.]{0,30}\b(?:%REPLACEMENT%|new\s+one|exchange)
""")
# Conditions on the seller's own review, in words 0007 did not list.
AFTER_REVIEW = r"""
\bhaving\s+(?:now\s+)?(?:compared|examined|assessed|gone\s+through|been\s+through|had\s+a\s+look)
\b(?:once|after|when|as\s+soon\s+as)\b[^.]{0,40}?\bhad\s+a\s+(?:proper\s+)?(?:look|chance\s+to\s+look)
\b(?:we|i)(?:['’]ve|\s+have)\s+(?:now\s+|just\s+|already\s+|also\s+|carefully\s+)?(?:had\s+a\s+(?:proper\s+|good\s+|close\s+)?look|double-checked|compared|examined|gone\s+over|been\s+through)
"""
# Kingston Express deciding, or the inspection coming first: the outcome is
# not announced.
KX_PENDING = r"""
\b(?:once|if|after|when|until|following|depending\s+on|subject\s+to)\b[^.]{0,60}\b(?:inspect\w*|review\w*|check\w*|assess\w*|decid\w*|records?)
\bkingston\s+express\s+(?:may|might|could|can|would|decides?\s+whether|will\s+decide)
"""

# code -> lines added to the rule's patterns / "safe when".
ADDED_PATTERNS: dict[str, str] = {
    "kx-refund": REFUND,
    "sm-refund-before-review": REFUND,
    "kx-replacement": REPLACEMENT,
    "sm-replacement-before-review": REPLACEMENT
    + _fill(r"""
\b%REPLACEMENT%\w*\s+(?:(?:is|has|been|now|already|['’]s)\s+)*(?:approved|authori[sz]ed|confirmed|agreed|arranged|booked|organi[sz]ed)\b
"""),
    "kx-decide-early": _fill(r"""
\bkingston\s+express\s+(?:will|['’]ll|is\s+going\s+to|are\s+going\s+to)\s+(?:definitely\s+|certainly\s+|surely\s+|then\s+|just\s+)?(?:refund|replace|reimburs|compensat|credit|exchange|swap|send\s+(?:you\s+)?(?:a|an|the|your|another)|give\s+you|pay)\w*
\b(?:your|the|ur)\s+(?:full\s+)?(?:%REFUND%|%REPLACEMENT%|new\s+one|money|credit|exchange|reimbursement)\s+(?:will|is\s+going\s+to|['’]ll|should|is\s+being|has\s+been|is)\s+(?:be\s+)?(?:processed|issued|sent|paid|with\s+you|arriv\w*|reach\w*|go(?:ing)?\s+out|on\s+(?:its|the)\s+way|dispatched|shipped|posted|credited|back)
\b(?:the\s+|your\s+)?(?:missing|correct|right|new|replacement)\s+(?:\w+\s+)?(?:will|['’]ll|should|is\s+going\s+to)\s+(?:be\s+)?(?:with\s+you|sent|shipped|posted|dispatched|on\s+its\s+way|arriv\w*|reach\w*|delivered|go(?:ing)?\s+out)
\bkingston\s+express\s+(?:have|has)\s+(?:already\s+)?(?:agreed|decided|approved|accepted)\b
^[^\w]*(?:approved|accepted|granted)\b
\byou['’](?:ll|re\s+going\s+to)\s+(?:definitely\s+|certainly\s+|still\s+)?(?:get|receive|be\s+getting|be\s+sent|have)\s+(?:a\s+|your\s+|the\s+)?(?:full\s+)?(?:%REFUND%|%REPLACEMENT%|new\s+one|money)
\b(?:it|this|that|everything)(?:['’]s|\s+is|\s+has)\s+(?:(?:been|now|already|all)\s+)*(?:approved|accepted|authori[sz]ed|granted)\b
"""),
    "kx-return-to-seller": r"""
\b(?:send|post|ship|return|mail|pop|courier)\w*\s+(?:me|us)\s+(?:back\s+)?(?:the|your|that|this|those|these)\s+(?:old|wrong|broken|damaged|original|faulty|incorrect)\b
\b(?:send|post|ship|return|mail|pop|courier)\w*\s+(?:me|us)\s+(?:it|them)\s+back\b
\b(?:send|post|ship|return|mail|courier)\w*\s+(?:it|them|the\s+\w+)\s+to\s+(?:the|this|my|our)\s+(?:address|workshop|shop|unit|studio|warehouse)\b
""",
    "accuse": r"""
\bi\s+(?:\w+\s+)?(?:think|suspect|reckon|bet|believe|imagine|guess)\s+(?:that\s+)?(?:you|someone|somebody)(?:['’]ve|\s+have|\s+had|['’]d)?\s+(?:\w+\s+)?(?:broke|broken|dropped|damaged|lost|misplaced|took|taken|opened|threw|thrown|missed|forgot|forgotten|miscounted|ordered|mixed|put|moved|didn['’]?t|misread|overlooked)\b
\b(?:maybe|perhaps|possibly|probably)\s+(?:someone|somebody|a\s+family\s+member|a\s+neighbou?r|one\s+of\s+your\s+\w+)\s+(?:(?:else\s+)?(?:at|in|from)\s+(?:your\s+)?\w+\s+)?(?:took|opened|moved|threw|has|had|got|broke|dropped)\b
\b(?:hard|difficult|struggling|struggle)\s+to\s+believe\b
\byou\s+(?:(?:must\s+have|must['’]?ve|probably|clearly|obviously|likely|just|simply|actually)\s+)+\w+\s+(?:the\s+)?wrong\b
\b(?:did|have|could)\s+you\s+(?:\w+\s+)?(?:drop|break|broke|damag|lose|lost|misplac|throw|threw|bin|knock|mishandl|misus|sit\s+on|sat\s+on|stand\s+on|stood\s+on)\w*\s+(?:it|them|the\s+\w+|this|that)\b
\b(?:funny|strange|odd|convenient)\s+how\b[^.]{0,40}\b(?:go(?:es)?\s+missing|disappear\w*|break|broke)
\byou(?:['’]ve|\s+have|\s+must\s+have|\s+were|\s+was)?\s+(?:been\s+)?(?:a\s+bit\s+|too\s+|very\s+|quite\s+)?(?:rough|careless|clumsy)\b
\b(?:trying\s+it\s+on|trying\s+(?:your|their)\s+luck|having\s+a\s+laugh|pulling\s+a\s+fast\s+one|taking\s+(?:advantage|the\s+mickey))\b
""",
    "admit-fault": r"""
\b(?:our|my)\s+(?:packer|picker|warehouse|team|staff|guy|girl|assistant)s?\s+(?:\w+\s+)?(?:picked|grabbed|sent|packed|put|chose|shipped|posted|used|mixed|mislabell?ed|swapped)\s+(?:\w+\s+){0,2}(?:wrong|incorrect)
\b(?:we|i)(?:['’]ve|\s+have)?\s+(?:\w+\s+)?(?:picked|grabbed|packed|put|used|chose|posted)\s+(?:you\s+)?(?:the\s+|a\s+)?(?:wrong|incorrect)
\b(?:we|i)\s+rushed\b
\b(?:must\s+not|mustn['’]?t)\s+have\s+been\s+(?:packed|wrapped|packaged|protected|checked|padded)
\bmust\s+have\s+been\s+(?:packed|wrapped|packaged)\s+(?:badly|poorly|wrong\w*|incorrectly|carelessly)
\b(?:must\s+have|must['’]?ve|probably|clearly|obviously)\s+(?:been\s+)?(?:\w+\s+){0,2}(?:in|at|from|by)\s+(?:our|my)\s+(?:warehouse|workshop|end|side|packing|stockroom|unit|team|packers?|staff)\b
""",
    "intl-promise": _fill(r"""
\b%DO%\w*\b[^.]{0,40}?\b(?:within|in|by|over)\s+the\s+(?:week|day|weekend|next\s+(?:few\s+|couple\s+of\s+)?(?:days?|hours?|weeks?))\b
\b%DO%\w*\b[^.]{0,40}?\b(?:by|before|on|until)\s+(?:next|this|the\s+coming)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)\b
\b%DO%\w*\b[^.]{0,40}?\b(?:by|before|on|until)\s+(?:the\s+)?(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?)?(?:january|february|march|april|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\b
\b(?:make\s+(?:it|this|things)\s+right|put\s+(?:it|this|things)\s+right|take\s+care\s+of|exchang|swap|repair|remak|compensat|reimburs|cover|answer|decid|decision|outcome|result|resolution)\w*\b[^.]{0,40}?\b%WHEN%(?!\w)
"""),
}
ADDED_PATTERNS["missing-item-photos"] = _fill(r"""
\b%PHOTO%\s+of\s+(?:(?:the|your|this|that|those|these|any)\s+)?(?:\w+\s+){0,2}(?:that|which)\s+(?:are|is|were|was|went|have\s+gone|has\s+gone)\s+missing\b
\b%PHOTO%\s+of\s+(?:(?:the|your|this|that|those|these)\s+)?\w+(?:\s+\w+)?\s+(?:that|which)\s+(?:weren['’]?t|wasn['’]?t|were\s+not|was\s+not|aren['’]?t|isn['’]?t|never\s+(?:came|arrived|turned\s+up))\b
""")
ADDED_SAFE_WHEN: dict[str, str] = {
    "sm-refund-before-review": AFTER_REVIEW,
    "sm-replacement-before-review": AFTER_REVIEW,
    "kx-decide-early": KX_PENDING,
}
# code -> {0007's "safe when" line: what stands instead}. Kingston Express
# *will* refund is a promise of the outcome, not Kingston Express deciding.
_KX_DECIDES_0007 = importlib.import_module("claims.migrations.0007_seed_reply")._BLOCKS["KX"]
# Kingston Express deciding or handling is safe only about the refund or
# replacement itself ("Kingston Express will decide on any refund"), not as a
# condition on the seller's own ("I'll refund you once Kingston Express
# confirms the damage").
_KX_DECIDES_ON = (
    r"\bkingston\s+express\s+(?:will\s+|would\s+|may\s+|might\s+|can\s+|could\s+|should\s+|"
    r"then\s+|to\s+|team\s+will\s+)?(?:decide|determin|confirm|review|inspect|handl|sort|check|"
    r"assess|look|arrang|process)\w*\b(?:(?!\b(?:i|we)\b)[^.]){0,40}?\b"
)
REPLACED_SAFE_WHEN: dict[str, dict[str, str]] = {
    "kx-refund": {
        _KX_DECIDES_0007: "\n".join(
            (
                _KX_DECIDES_ON + r"(?:refund|money|reimburs|credit|compensat|outcome|resolution)",
                r"\bkingston\s+express\s+(?:may|might|could|can|would|decides?\s+whether\s+to|to|then)\s+(?:appl|issu|refund|send|ship|replac|offer|arrang|process)\w*",
                r"\b(?:once|if|after|when|until)\b[^.]{0,60}\binspect\w*[^.]{0,40}\bkingston\s+express\s+(?:will|['’]ll|would|can|may)\b",
            )
        )
    },
    "kx-replacement": {
        _KX_DECIDES_0007: "\n".join(
            (
                _KX_DECIDES_ON + r"(?:replac|exchang|swap|new\s+one|outcome|resolution)",
                r"\bkingston\s+express\s+(?:will\s+|would\s+|may\s+|might\s+|can\s+|could\s+|should\s+|then\s+|to\s+|team\s+will\s+)?(?:send|ship|replac|dispatch|post|exchang|swap|arrang|issu|appl|process)\w*",
            )
        )
    },
}


def _seeded():
    """code -> (patterns, safe when) as 0007 stored them."""
    seed = importlib.import_module("claims.migrations.0007_seed_reply")
    return {row[0]: (row[5].strip(), row[6].strip()) for row in seed.RULES}


def _joined(text, added):
    added = added.strip()
    return f"{text}\n{added}" if added and text else (text or added)


def _replaced(text, lines):
    return "\n".join(lines.get(line, line) for line in text.splitlines())


def _updated(code, patterns, safe_when):
    safe_when = _replaced(safe_when, REPLACED_SAFE_WHEN.get(code, {}))
    return (
        _joined(patterns, ADDED_PATTERNS.get(code, "")),
        _joined(safe_when, ADDED_SAFE_WHEN.get(code, "")),
    )


def updated_rules(rules):
    """0007's RULES rows with this migration's lines added (for the bench and tests)."""
    return [
        (*row[:5], *_updated(row[0], row[5].strip(), row[6].strip()), *row[7:]) for row in rules
    ]


def forward(apps, schema_editor):
    ReplyCheckRule = apps.get_model("claims", "ReplyCheckRule")
    for code, (patterns, safe_when) in _seeded().items():
        new_patterns, new_safe_when = _updated(code, patterns, safe_when)
        ReplyCheckRule.objects.filter(code=code, patterns=patterns).update(patterns=new_patterns)
        ReplyCheckRule.objects.filter(code=code, safe_when=safe_when).update(
            safe_when=new_safe_when
        )


def backward(apps, schema_editor):
    ReplyCheckRule = apps.get_model("claims", "ReplyCheckRule")
    for code, (patterns, safe_when) in _seeded().items():
        new_patterns, new_safe_when = _updated(code, patterns, safe_when)
        ReplyCheckRule.objects.filter(code=code, patterns=new_patterns).update(patterns=patterns)
        ReplyCheckRule.objects.filter(code=code, safe_when=new_safe_when).update(
            safe_when=safe_when
        )


class Migration(migrations.Migration):
    dependencies = [("claims", "0010_evidence_request")]

    operations = [
        migrations.AlterField(
            model_name="replycheckrule",
            name="safe_when",
            field=models.TextField(
                blank=True,
                help_text=(
                    "Conditions that make a match above fine (one regular expression per line), "
                    "e.g. a replacement promised only “once we have reviewed the photos”. A "
                    "condition counts for a match after it in the same sentence, or right after "
                    "the match in the same clause; one saying the review is done (“I've checked "
                    "your photos”) also counts for the sentences that follow."
                ),
                verbose_name="safe when",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
