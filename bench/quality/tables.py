"""Small name tables the benchmark uses to *generate* test data.

These are written for the benchmark and deliberately not shared with the engine's data files
(``src/raqib/data``): if the generator and the matcher read the same table, a table gap would hide
itself. Each table lists common, well-attested spellings (Arabic script first, then frequent
romanisations seen on the UN/OFAC lists and in the word-pair corpora).
"""

from __future__ import annotations

# Common Arabic given names with frequent romanisations. The first Latin form is the "usual" one.
COMMON_GIVEN_NAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("محمد", ("Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mohamad", "Muhammed")),
    ("أحمد", ("Ahmed", "Ahmad")),
    ("علي", ("Ali",)),
    ("حسن", ("Hassan", "Hasan")),
    ("حسين", ("Hussein", "Husayn", "Hussain", "Hossein")),
    ("محمود", ("Mahmoud", "Mahmud")),
    ("مصطفى", ("Mustafa", "Moustafa", "Mostafa")),
    ("خالد", ("Khalid", "Khaled")),
    ("عمر", ("Omar", "Umar")),
    ("عثمان", ("Othman", "Uthman", "Osman")),
    ("إبراهيم", ("Ibrahim", "Ebrahim")),
    ("يوسف", ("Yousef", "Yusuf", "Youssef")),
    ("عبد الله", ("Abdullah", "Abdallah", "Abd Allah")),
    ("عبد الرحمن", ("Abdul Rahman", "Abdelrahman", "Abd al-Rahman")),
    ("عبد العزيز", ("Abdulaziz", "Abdelaziz", "Abd al-Aziz")),
    ("سعيد", ("Said", "Saeed")),
    ("صالح", ("Saleh", "Salih")),
    ("سالم", ("Salem", "Salim")),
    ("ياسر", ("Yasser", "Yasir")),
    ("طارق", ("Tariq", "Tarek")),
    ("كريم", ("Karim", "Kareem")),
    ("جمال", ("Jamal", "Gamal")),
    ("فيصل", ("Faisal", "Faysal")),
    ("ناصر", ("Nasser", "Nasir")),
    ("سليمان", ("Suleiman", "Sulayman")),
    ("يحيى", ("Yahya",)),
    ("زكريا", ("Zakaria", "Zakariya")),
    ("إسماعيل", ("Ismail", "Ismael")),
    ("موسى", ("Musa", "Moussa")),
    ("عيسى", ("Issa", "Isa")),
    ("حمزة", ("Hamza", "Hamzah")),
    ("بلال", ("Bilal",)),
    ("أنس", ("Anas",)),
    ("ماجد", ("Majid", "Majed")),
    ("رشيد", ("Rashid", "Rachid")),
    ("هشام", ("Hisham", "Hicham")),
    ("وليد", ("Walid", "Waleed")),
    ("عادل", ("Adel", "Adil")),
    ("نبيل", ("Nabil", "Nabeel")),
    ("سمير", ("Samir", "Sameer")),
    ("منصور", ("Mansour", "Mansur")),
    ("فهد", ("Fahd", "Fahad")),
    ("سعد", ("Saad",)),
    ("زياد", ("Ziad", "Ziyad")),
    ("أيمن", ("Ayman",)),
    ("أسامة", ("Osama", "Usama")),
    ("جعفر", ("Jafar", "Jaafar")),
    ("حامد", ("Hamid", "Hamed")),
    ("عماد", ("Imad", "Emad")),
    ("مراد", ("Murad", "Mourad")),
    ("أمين", ("Amin", "Amine")),
    ("فاطمة", ("Fatima", "Fatma")),
    ("عائشة", ("Aisha", "Aicha")),
    ("مريم", ("Maryam", "Mariam")),
    ("خديجة", ("Khadija", "Khadidja")),
    ("زينب", ("Zainab", "Zeinab")),
    ("سارة", ("Sara", "Sarah")),
    ("ليلى", ("Layla", "Leila")),
)

# Female names in COMMON_GIVEN_NAMES: never used as a father's name ('بن X') or a middle name.
FEMALE_GIVEN_NAMES = frozenset({"فاطمة", "عائشة", "مريم", "خديجة", "زينب", "سارة", "ليلى"})

# Second words that make a compound with the word before them (سيف الدين، نصر الله).
COMPOUND_SECOND_WORDS = frozenset({"الدين", "الله", "الإسلام", "الاسلام", "الحق"})

# Second halves of "Abd al-X" compounds: (Arabic with article, Latin stem).
ABD_COMPOUND_PARTS: tuple[tuple[str, str], ...] = (
    ("العزيز", "Aziz"),
    ("الهادي", "Hadi"),
    ("الرحمن", "Rahman"),
    ("الكريم", "Karim"),
    ("الرحيم", "Rahim"),
    ("القادر", "Qadir"),
    ("الحميد", "Hamid"),
    ("المجيد", "Majid"),
    ("اللطيف", "Latif"),
    ("الستار", "Sattar"),
    ("الباسط", "Basit"),
    ("الرزاق", "Razzaq"),
    ("الغفار", "Ghaffar"),
    ("الحكيم", "Hakim"),
    ("الجبار", "Jabbar"),
    ("السلام", "Salam"),
    ("المنعم", "Munim"),
    ("الوهاب", "Wahhab"),
    ("الحليم", "Halim"),
    ("الرؤوف", "Rauf"),
    ("الخالق", "Khaliq"),
    ("الفتاح", "Fattah"),
    ("الملك", "Malik"),
    ("الواحد", "Wahid"),
    ("الغني", "Ghani"),
    ("الباقي", "Baqi"),
    ("العليم", "Alim"),
    ("الناصر", "Nasir"),
    ("الصمد", "Samad"),
    ("الجليل", "Jalil"),
    ("الكافي", "Kafi"),
    ("المطلب", "Muttalib"),
)

# Honorifics and ranks that appear before Arabic names in documents and payment messages.
ARABIC_TITLES: tuple[str, ...] = (
    "اللواء",
    "الشيخ",
    "الدكتور",
    "د.",
    "الحاج",
    "سعادة",
    "السيد",
    "المهندس",
    "العقيد",
    "الأستاذ",
    "فضيلة الشيخ",
    "سماحة",
    "الأمير",
    "العميد",
    "معالي",
)

# Latin letters and their Cyrillic / Greek look-alikes.
HOMOGLYPHS: dict[str, tuple[str, ...]] = {
    "a": ("а",),
    "c": ("с",),
    "e": ("е",),
    "i": ("і",),
    "j": ("ј",),
    "o": ("о", "ο"),
    "p": ("р",),
    "s": ("ѕ",),
    "x": ("х",),
    "y": ("у",),
    "A": ("А", "Α"),
    "B": ("В", "Β"),
    "E": ("Е", "Ε"),
    "H": ("Н", "Η"),
    "I": ("І", "Ι"),
    "J": ("Ј",),
    "K": ("К", "Κ"),
    "M": ("М", "Μ"),
    "N": ("Ν",),
    "O": ("О", "Ο"),
    "P": ("Р", "Ρ"),
    "S": ("Ѕ",),
    "T": ("Т", "Τ"),
    "X": ("Х", "Χ"),
    "Y": ("Υ",),
    "Z": ("Ζ",),
}

# Invisible characters used to break naive string comparison.
ZERO_WIDTH = ("\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff")
BIDI_CONTROLS = ("\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2069")

# Whole-token romanisation families (lower case): a token is respelt as another member.
ROMANISATION_FAMILIES: tuple[tuple[str, ...], ...] = (
    ("mohammed", "muhammad", "mohamed", "mohammad", "muhammed", "mohamad", "mouhamed"),
    ("ahmed", "ahmad"),
    ("hussein", "husayn", "hussain", "hossein", "houssein", "husain"),
    ("hassan", "hasan", "hassen"),
    ("mahmoud", "mahmud", "mahmood"),
    ("omar", "umar"),
    ("othman", "uthman", "osman"),
    ("yousef", "yusuf", "youssef", "yousif"),
    ("abdullah", "abdallah", "abdellah"),
    ("khalid", "khaled"),
    ("ibrahim", "ebrahim"),
    ("abu", "abou"),
    ("bin", "ibn", "ben"),
    ("al", "el"),
    ("mustafa", "moustafa", "mostafa"),
    ("said", "saeed", "saied"),
    ("salih", "saleh"),
    ("suleiman", "sulayman", "soliman"),
)

# Arabic letters used for typo substitutions and insertions.
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
