"""readers/feeds.py: an RSS or Atom file is one document per item."""

from policyterms.readers import read_documents
from policyterms.readers.feeds import is_feed

# A day's paper as an RSS scraper keeps it: each item's HTML escaped in <description>, a kicker
# (h3) over the headline, whose <p> the HTML parser moves out of the <h1>; the issue line dates it.
RSS = """<?xml version='1.0' encoding='UTF-8'?>
<rss version="2.0"><channel><title>人民日报</title>
<item><title>[01版：要闻] 加快发展未来产业</title><link>https://paper.example/1.html</link>
<pubDate>Sat, 02 May 2026 23:06:39 +0000</pubDate>
<description>&lt;h3&gt;各地因地制宜——&lt;/h3&gt;&lt;h1&gt;&lt;p&gt;加快发展未来产业&lt;/p&gt;&lt;/h1&gt;
&lt;p&gt;本报记者 张三&lt;/p&gt;&lt;p&gt;《人民日报》（2026年05月03日 第 01 版）&lt;/p&gt;
&lt;p&gt;各地加快发展量子科技。&lt;/p&gt;</description></item>
<item><title>[02版：要闻] 无法提取正文</title><description></description></item>
<item><title>[03版：评论] 培育具身智能</title><link>https://paper.example/3.html</link>
<description>&lt;p&gt;具身智能加快发展。&lt;/p&gt;</description></item>
</channel></rss>
"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>站点</title>
<entry><title>量子科技进展</title><link href="https://site.example/a"/><updated>2026-05-04T08:00:00Z</updated>
<content type="html">&lt;p&gt;量子科技取得新进展。&lt;/p&gt;</content></entry>
</feed>
"""


def test_an_rss_day_of_a_paper_is_one_document_per_item(tmp_path):
    path = tmp_path / "rmrb_2026-05-03.xml"
    path.write_text(RSS, encoding="utf-8")
    documents = read_documents(str(path))
    assert [d.doc_id for d in documents] == [f"{path}#1", f"{path}#2", f"{path}#3"]
    first, second, third = (d.metadata for d in documents)
    assert documents[1].text == "无法提取正文\n"  # no text: its title is all there is to count
    # the headline, not the kicker over it; the issue line's date, and the feed's time as published
    assert (first["title"], first["title_from"]) == ("加快发展未来产业", "text")
    assert (first["date"], first["date_from"], first["published"]) == ("2026-05-03", "text", "2026-05-02")
    assert first["link"] == "https://paper.example/1.html"
    assert documents[0].text.splitlines()[:3] == ["各地因地制宜——", "加快发展未来产业", "本报记者 张三"]
    # no headline in the HTML: the item's own title, without the paper's page label
    assert (third["title"], third["title_from"]) == ("培育具身智能", "feed")
    assert "date" not in third


def test_without_split_a_feed_is_one_document(tmp_path):
    path = tmp_path / "day.rss"
    path.write_text(RSS, encoding="utf-8")
    [whole] = read_documents(str(path), split=False)
    assert whole.doc_id == str(path) and "量子科技" in whole.text and "具身智能" in whole.text


def test_an_atom_feed_and_what_is_no_feed(tmp_path):
    path = tmp_path / "site.atom"
    path.write_text(ATOM, encoding="utf-8")
    [entry] = read_documents(str(path))
    assert (entry.metadata["title"], entry.metadata["title_from"]) == ("量子科技进展", "feed")
    assert (entry.metadata["date"], entry.metadata["date_from"]) == ("2026-05-04", "feed")
    assert not is_feed("notes.xml", b"<?xml version='1.0'?><notes><n>x</n></notes>")
    assert not is_feed("day.txt", RSS.encode())
