"""Serbian Latin → Cyrillic, checked word by word against hand-written Cyrillic."""

from __future__ import annotations

import pytest

from ura.web.translit import to_cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("ljubav", "љубав"),
    ("njegov", "његов"),
    ("džep", "џеп"),
    ("đak", "ђак"),
    ("čćšž", "чћшж"),
    ("Ljubljana", "Љубљана"),
    ("LJUBAV", "ЉУБАВ"),
    ("Njegoš", "Његош"),
    ("NJEGOŠ", "ЊЕГОШ"),
    ("Džemal", "Џемал"),
    ("DŽEP", "ЏЕП"),
    ("Đorđe", "Ђорђе"),
    ("Prijava zabrinutosti", "Пријава забринутости"),
    ("Socijalni radnik", "Социјални радник"),
    ("Koordinator mehanizma", "Координатор механизма"),
    ("Sačuvaj izmene", "Сачувај измене"),
    ("Obaveštenje o upućivanju", "Обавештење о упућивању"),
])
def test_it_writes_serbian_words_in_cyrillic(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("injekcija", "инјекција"),
    ("Injekcija", "Инјекција"),
    ("konjunkcija", "конјункција"),
    ("konjugacija", "конјугација"),
    ("nadživeti", "надживети"),
    ("odžaliti", "оджалити"),
    ("podžanr", "поджанр"),
    ("vanjezički", "ванјезички"),
    ("konj", "коњ"),  # an ordinary nj stays one letter
])
def test_it_splits_digraphs_across_a_prefix(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("Slučaj %(reference)s je otvoren.", "Случај %(reference)s је отворен."),
    ("%(count)d osoba", "%(count)d особа"),
    ("Rok: %s", "Рок: %s"),
    ("100%% tačno", "100%% тачно"),
    ("Zadatak {name} do {date:%d.%m.}", "Задатак {name} до {date:%d.%m.}"),
    ('Vidi <a href="/cases/">slučajeve</a>', 'Види <a href="/cases/">случајеве</a>'),
    ('<span class="muted" title="note">beleška</span>', '<span class="muted" title="note">белешка</span>'),
    ("Ime &amp; prezime&nbsp;osobe", "Име &amp; презиме&nbsp;особе"),
    ("Pogledaj https://ura.example.org/help/ za pomoć", "Погледај https://ura.example.org/help/ за помоћ"),
    ("Piši na dpo@opstina.example.rs", "Пиши на dpo@opstina.example.rs"),
    ("Navedite --pdf, --csv i/ili --xlsx.", "Наведите --pdf, --csv и/или --xlsx."),
    ("neslaganje prev_hash u lancu", "неслагање prev_hash у ланцу"),
    ("opcija „unknown: true”", "опција „unknown: true”"),
    ("trajanje %(seconds).1f s", "трајање %(seconds).1f с"),
])
def test_it_leaves_placeholders_markup_and_addresses_alone(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(("latin", "cyrillic"), [
    ("Preuzmi PDF", "Преузми PDF"),
    ("Izvoz u CSV i XLSX", "Извоз у CSV и XLSX"),
    ("Dobrodošli u Uru", "Добродошли у Уру"),
    ("Na primer GJI-2026-0042.", "На пример GJI-2026-0042."),
    ("Mehanizam Passage4prevent", "Механизам Passage4prevent"),
    ("komandom „ura instruments load FILE”; mogu", "командом „ura instruments load FILE”; могу"),
    ("Trošak u EUR", "Трошак у EUR"),
    ("instalaciju (URA_ENV=production).", "инсталацију (URA_ENV=production)."),
    ("označi ocenu kao „need: true”, kako", "означи оцену као „need: true”, како"),
    ("Wi-Fi mreža", "Wi-Fi мрежа"),
    ("u PDF-u", "у PDF-у"),
    ("P/CVE mehanizam", "P/CVE механизам"),
    ("12.03.2026. u 14:30", "12.03.2026. у 14:30"),
])
def test_it_keeps_abbreviations_foreign_words_and_numbers(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_cyrillic_text_is_left_as_it_is() -> None:
    assert to_cyrillic("Милош Петровић") == "Милош Петровић"
