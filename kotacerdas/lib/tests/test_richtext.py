import pytest

from kotacerdas.lib.richtext import excerpt, plain_text, sanitize


def test_scripts_are_removed_with_their_content():
    cleaned = sanitize("<p>Halo</p><script>alert('x')</script><SCRIPT src=//evil.test/x.js></SCRIPT>")
    assert cleaned == "<p>Halo</p>"


@pytest.mark.parametrize("handler", ["onclick", "onmouseover", "onerror", "ONLOAD", "onfocus"])
def test_event_handlers_are_removed(handler):
    cleaned = sanitize(f'<p {handler}="alert(1)">teks</p>'
                       f'<a href="https://blitarkota.go.id" {handler}="x()">a</a>')
    assert handler.lower() not in cleaned.lower()
    assert "alert" not in cleaned
    assert "<p>teks</p>" in cleaned


@pytest.mark.parametrize("href", [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "javascript&#58;alert(1)",
    "&#106;avascript:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
])
def test_javascript_and_other_active_urls_are_removed(href):
    cleaned = sanitize(f'<a href="{href}">klik</a>')
    assert "href" not in cleaned
    assert "script" not in cleaned.lower()
    assert ">klik</a>" in cleaned


def test_safe_links_stay_and_get_rel_noopener_nofollow():
    cleaned = sanitize('<a href="https://blitarkota.go.id/" target="_blank" rel="opener" title="t">situs</a>')
    assert cleaned == '<a href="https://blitarkota.go.id/" rel="noopener nofollow">situs</a>'
    assert 'href="mailto:ppid@blitarkota.go.id"' in sanitize('<a href="mailto:ppid@blitarkota.go.id">m</a>')
    assert 'href="/informasi/"' in sanitize('<a href="/informasi/">i</a>')


def test_allowed_tags_survive_and_others_are_unwrapped():
    text = ("<h2>Judul</h2><h3>Sub</h3><p><strong>tebal</strong> <em>miring</em><br>baris</p>"
            "<ul><li>satu</li></ul><ol><li>dua</li></ol><blockquote>kutipan</blockquote>")
    assert sanitize(text) == text
    assert sanitize('<div class="x" style="color:red"><span>isi</span></div><h1>Besar</h1>') == "isiBesar"


def test_dangerous_embedding_elements_go_with_their_content():
    cleaned = sanitize('<iframe src="https://evil.test"></iframe><style>p{}</style>'
                       '<img src=x onerror=alert(1)><svg onload=alert(1)><a href="#">s</a></svg>'
                       '<object data="x.swf">o</object>')
    assert "iframe" not in cleaned
    assert "img" not in cleaned
    assert "svg" not in cleaned
    assert "alert" not in cleaned
    assert "p{}" not in cleaned
    assert "object" not in cleaned


def test_comments_are_stripped_and_empty_input_is_empty():
    assert sanitize("<!-- <script>alert(1)</script> --><p>ok</p>") == "<p>ok</p>"
    assert sanitize("") == ""


def test_sanitising_twice_changes_nothing():
    once = sanitize('<p onclick="x">a <a href="https://x.test">b</a></p><script>c</script>')
    assert sanitize(once) == once


def test_plain_text_keeps_words_apart_and_unescapes():
    assert plain_text("<p>Banjir &amp; longsor</p><p>di <strong>Sentul</strong></p><script>x()</script>") == (
        "Banjir & longsor di Sentul"
    )


def test_excerpt_cuts_at_a_word():
    text = "<p>" + "Pemerintah Kota Blitar " * 20 + "</p>"
    short = excerpt(text, 50)
    assert short.endswith("…")
    assert len(short) <= 50
    assert excerpt("<p>pendek</p>", 50) == "pendek"
