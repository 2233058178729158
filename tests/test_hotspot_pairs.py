"""``hotspots`` reads a batch of cases at once (numpy counts their words): each reading is the one the case
gets read alone, to the last bit of every weight and in the same order — ties among the heaviest terms, texts
longer than the terms kept, stop bigrams, function characters, characters outside the BMP, names the gazetteer
finds bare, a text sent again word for word."""

from __future__ import annotations

import pickle

from hypothesis import given, settings
from hypothesis import strategies as st

from wenzheng_cli.analysis import pairs, problems
from wenzheng_cli.analysis.clusters import Gazetteer
from wenzheng_cli.analysis.problems import HotspotCase
from wenzheng_cli.analysis.reading import Reader
from wenzheng_cli.analysis.text import ESTATE, ROAD, places_in

# Characters of problems, places, stop bigrams (尊敬, 小区), function characters, punctuation, digits, a letter,
# one character outside the BMP and one just outside the range pairs are counted in.
_ALPHABET = (
    "电梯故障困人停车乱收费噪音扰民垃圾清运漏水路灯梅溪湖阳光花园小区路街楼号栋尊敬领导的了没不，。：3A𠀋〇"
)
_TEXT = st.text(alphabet=_ALPHABET, max_size=120)
_SAMPLE = [
    "梅溪湖小区电梯故障困人，物业不管",
    "阳光花园3号楼垃圾清运不及时",
    "梅溪湖路路灯不亮，晚上看不见",
    "尊敬的领导：停车乱收费",
    "梅溪湖的电梯又坏了",  # 梅溪湖 named bare: the gazetteer finds it
    "噪音扰民噪音扰民噪音扰民",
]


def _idf() -> tuple[problems.Idf, Gazetteer]:
    df, n, gazetteer = problems.document_frequencies((text, places_in(text)) for text in _SAMPLE * 3)
    return problems.Idf(df, n), gazetteer


def _case(pk: int, title: str | None, text: str, address: str | None = None) -> HotspotCase:
    return HotspotCase(pk, float(pk), title, text, address, "杨柳", None, f"p{pk}")


def _same(batch: list[problems.HotspotCase]) -> None:
    idf, gazetteer = _idf()
    together = Reader(idf, gazetteer).read_many(batch)
    for case, reading in zip(batch, together, strict=True):
        alone = Reader(idf, gazetteer).read(case)
        assert reading == alone
        assert (
            reading.terms == alone.terms and reading.weights == alone.weights
        )  # the order too: ties break by it


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.none() | _TEXT, _TEXT, st.none() | st.sampled_from(["梅溪湖小区1栋", "幸福里"])),
        min_size=2,
        max_size=12,
    )
)
def test_a_batch_reads_each_case_as_alone(rows: list[tuple[str | None, str, str | None]]) -> None:
    _same([_case(i, title, text, address) for i, (title, text, address) in enumerate(rows)])


def test_more_words_than_kept_tie_as_heapq_breaks_them() -> None:
    # 80 distinct pairs (a few twice, heavier), most of one weight: which 48 are kept, and in what order, is
    # decided by ties.
    heads, tails = "电梯故障困人停车乱收", "费噪音扰民垃圾清运漏"
    chunks = [a + b + "，" for a in heads[:8] for b in tails]
    long = "".join(chunks[:5] + chunks)
    _same([_case(1, None, long), _case(2, "标题", long + long), _case(3, None, "")])
    assert len(Reader(*_idf()).read(_case(1, None, long)).terms) == problems.VECTOR_TERMS


def test_a_name_found_bare_is_read_alone_and_its_pairs_dropped() -> None:
    idf, gazetteer = _idf()
    assert gazetteer.by_head  # 梅溪湖 (of 梅溪湖小区 and 梅溪湖路) is known
    reading = Reader(idf, gazetteer).read_many([_case(1, None, _SAMPLE[4]), _case(2, None, _SAMPLE[0])])[0]
    assert any(tier in (ESTATE, ROAD) and name.startswith("梅溪湖") for tier, name in reading.found)
    assert "梅溪" not in reading.terms
    _same([_case(1, None, _SAMPLE[4]), _case(2, None, _SAMPLE[0])])


def test_a_text_sent_again_is_read_once() -> None:
    idf, gazetteer = _idf()
    reader = Reader(idf, gazetteer)
    batch = [_case(i, None, _SAMPLE[0]) for i in range(5)]
    readings = reader.read_many(batch)
    assert all(r is readings[0] for r in readings)
    assert reader.read_many(batch[:2])[0] is readings[0]


def test_pair_codes_are_the_words_bigrams_counts() -> None:
    assert pairs.code("电梯") is not None and pairs.pair(pairs.code("电梯") or 0) == "电梯"
    assert pairs.code("的电") is None and pairs.code("A梯") is None and pairs.code("𠀋梯") is None
    text = "电梯的电梯，A梯"
    assert sorted(problems.bigrams(text, ())) == sorted(
        map(pairs.pair, pairs.codes(problems.bigrams(text, ())))
    )


def test_a_text_read_whole_with_no_telling_word_can_be_sent() -> None:
    # Its words all common (in more than ten of the texts the weights come from), 梅溪湖 found bare: it is read
    # whole where the batch is prepared, and what is sent to the clusterer pickles.
    texts = [f"梅溪湖小区电梯故障{i}号" for i in range(12)]
    df, n, gazetteer = problems.document_frequencies((text, places_in(text)) for text in texts)
    idf = problems.Idf(df, n)
    batch = [_case(1, None, "梅溪湖的电梯故障"), _case(2, None, "阳光花园漏水")]
    prepared = pickle.loads(pickle.dumps(Reader(idf, gazetteer).prepare(batch)))
    assert prepared.alone  # read whole
    readings = Reader(idf, gazetteer).finish(prepared)
    alone = Reader(idf, gazetteer).read(batch[0])
    assert readings[0] == alone and not alone.content and set(alone.keys) == {"电梯", "梯故", "故障"}
