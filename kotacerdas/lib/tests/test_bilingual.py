from django.utils.translation import gettext_lazy as _

from kotacerdas.lib.bilingual import both


def test_translated_message_comes_in_both_languages():
    assert both(_("Wajib diisi.")) == "Wajib diisi. / Required."


def test_message_without_translation_is_said_once():
    assert both("NIK") == "NIK"
