"""The non-SQL shares of the training data: small Python functions and instruction-following formats.

`code_task(rng)` returns (request, code): a function described in words, answered with working
code (tests/train/test_data.py executes every template against its own checks). `instruct_task(rng)`
returns (request, answer) for format-following: N bullet points, JSON with given keys, one
sentence. Both are derivable from the request alone, so the model learns the format, not trivia.
"""

from __future__ import annotations

import json
import random

from arctic_cli.train import domains as D

# (description, function names, code with {f} for the name and {k} for a constant, test cases)
# A test case is (args, expected) checked with k = 3.
CODE: tuple[tuple[str, tuple[str, ...], str, tuple[tuple[tuple, object], ...]], ...] = (
    ("returns the sum of the even numbers in a list of integers", ("sum_even", "even_sum", "total_of_evens"),
     "def {f}(numbers: list[int]) -> int:\n    return sum(n for n in numbers if n % 2 == 0)", ((([1, 2, 3, 4],), 6),)),
    ("returns True if a string reads the same backwards, ignoring case", ("is_palindrome", "palindrome"),
     "def {f}(text: str) -> bool:\n    t = text.lower()\n    return t == t[::-1]", ((("Abba",), True), (("abc",), False))),
    ("counts the vowels in a string", ("count_vowels", "vowel_count"),
     "def {f}(text: str) -> int:\n    return sum(1 for ch in text.lower() if ch in \"aeiou\")", ((("Hello World",), 3),)),
    ("returns n factorial for a non-negative integer n", ("factorial", "fact"),
     "def {f}(n: int) -> int:\n    result = 1\n    for i in range(2, n + 1):\n        result *= i\n    return result", (((5,), 120), ((0,), 1))),
    ("returns True if n is a prime number", ("is_prime", "prime"),
     "def {f}(n: int) -> bool:\n    if n < 2:\n        return False\n    i = 2\n    while i * i <= n:\n        if n % i == 0:\n            return False\n        i += 1\n    return True", (((7,), True), ((9,), False), ((1,), False))),
    ("returns the greatest common divisor of two positive integers", ("gcd", "greatest_common_divisor"),
     "def {f}(a: int, b: int) -> int:\n    while b:\n        a, b = b, a % b\n    return a", (((12, 18), 6),)),
    ("flattens a list of lists into one list", ("flatten", "flatten_list"),
     "def {f}(lists: list[list]) -> list:\n    return [x for inner in lists for x in inner]", ((([[1, 2], [3], []],), [1, 2, 3]),)),
    ("removes duplicates from a list while keeping the first occurrence order", ("dedupe", "unique", "remove_duplicates"),
     "def {f}(items: list) -> list:\n    seen = set()\n    out = []\n    for x in items:\n        if x not in seen:\n            seen.add(x)\n            out.append(x)\n    return out", ((([3, 1, 3, 2, 1],), [3, 1, 2]),)),
    ("converts a temperature from Celsius to Fahrenheit", ("celsius_to_fahrenheit", "c_to_f"),
     "def {f}(celsius: float) -> float:\n    return celsius * 9 / 5 + 32", (((100,), 212.0),)),
    ("returns the {k} largest numbers of a list in descending order", ("top_k", "largest", "top_values"),
     "def {f}(numbers: list[float]) -> list[float]:\n    return sorted(numbers, reverse=True)[:{k}]", ((([5, 1, 9, 3, 7],), [9, 7, 5]),)),
    ("counts how many words in a sentence are longer than {k} characters", ("count_long_words", "long_words"),
     "def {f}(sentence: str) -> int:\n    return sum(1 for w in sentence.split() if len(w) > {k})", ((("a tree in the forest",), 2),)),
    ("returns a dictionary mapping each word of a text to how often it occurs", ("word_counts", "word_frequencies"),
     "def {f}(text: str) -> dict[str, int]:\n    counts: dict[str, int] = {{}}\n    for w in text.split():\n        counts[w] = counts.get(w, 0) + 1\n    return counts", ((("a b a",), {"a": 2, "b": 1}),)),
    ("returns the largest value of a list, or None when the list is empty", ("max_or_none", "safe_max"),
     "def {f}(values: list[float]) -> float | None:\n    return max(values) if values else None", ((([],), None), (([2, 8, 1],), 8))),
    ("returns the sum of the digits of a non-negative integer", ("digit_sum", "sum_digits"),
     "def {f}(n: int) -> int:\n    return sum(int(d) for d in str(n))", (((1234,), 10),)),
    ("splits a list into chunks of {k} items (the last chunk may be shorter)", ("chunk", "chunks", "batched"),
     "def {f}(items: list) -> list[list]:\n    return [items[i:i + {k}] for i in range(0, len(items), {k})]", ((([1, 2, 3, 4],), [[1, 2, 3], [4]]),)),
    ("returns the running totals of a list of numbers", ("running_total", "cumulative_sum"),
     "def {f}(numbers: list[float]) -> list[float]:\n    out = []\n    total = 0\n    for n in numbers:\n        total += n\n        out.append(total)\n    return out", ((([1, 2, 3],), [1, 3, 6]),)),
    ("returns the median of a non-empty list of numbers", ("median",),
     "def {f}(numbers: list[float]) -> float:\n    s = sorted(numbers)\n    mid = len(s) // 2\n    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2", ((([3, 1, 2],), 2), (([4, 1, 3, 2],), 2.5))),
    ("returns True if a year is a leap year", ("is_leap_year", "leap_year"),
     "def {f}(year: int) -> bool:\n    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)", (((2000,), True), ((1900,), False), ((2024,), True))),
    ("reverses the order of the words in a sentence", ("reverse_words",),
     "def {f}(sentence: str) -> str:\n    return \" \".join(reversed(sentence.split()))", ((("one two three",), "three two one"),)),
    ("clamps a number into the range from 0 to {k}", ("clamp",),
     "def {f}(x: float) -> float:\n    return max(0, min({k}, x))", (((5,), 3), ((-1,), 0), ((2,), 2))),
    ("returns the second largest distinct value of a list, or None if there is none", ("second_largest",),
     "def {f}(values: list[int]) -> int | None:\n    distinct = sorted(set(values), reverse=True)\n    return distinct[1] if len(distinct) > 1 else None", ((([4, 9, 9, 2],), 4), (([1, 1],), None))),
    ("returns the average of a list of numbers, or 0.0 for an empty list", ("average", "mean"),
     "def {f}(numbers: list[float]) -> float:\n    return sum(numbers) / len(numbers) if numbers else 0.0", ((([2, 4],), 3.0), (([],), 0.0))),
    ("keeps only the dictionaries of a list whose 'active' key is true", ("active_only", "filter_active"),
     "def {f}(rows: list[dict]) -> list[dict]:\n    return [r for r in rows if r.get(\"active\")]", ((([{"active": True}, {"active": False}, {}],), [{"active": True}]),)),
    ("returns the n-th Fibonacci number (fib(0) = 0, fib(1) = 1)", ("fibonacci", "fib"),
     "def {f}(n: int) -> int:\n    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a", (((10,), 55), ((0,), 0))),
    ("returns the multiples of {k} from 1 to n inclusive", ("multiples",),
     "def {f}(n: int) -> list[int]:\n    return [i for i in range(1, n + 1) if i % {k} == 0]", (((10,), [3, 6, 9]),)),
    ("capitalizes the first letter of every word in a string", ("title_words", "capitalize_words"),
     "def {f}(text: str) -> str:\n    return \" \".join(w[:1].upper() + w[1:] for w in text.split())", ((("hello big world",), "Hello Big World"),)),
)
CODE_ASKS = ("Write a Python function `{f}` that {d}.", "Implement `{f}` in Python: it {d}.",
             "Python: write a function named {f} that {d}.", "Create a Python function {f}() which {d}.")


def code_task(rng: random.Random) -> tuple[str, str]:
    """(user message, answer); 70% of the messages are the `arctic code TASK` prompt itself."""
    from arctic_cli.codegen.languages import DEFAULT
    from arctic_cli.codegen.task import render_prompt

    desc, names, code, _ = rng.choice(CODE)
    f, k = rng.choice(names), rng.randint(2, 9)
    request = rng.choice(CODE_ASKS).format(f=f, d=desc.format(k=k))
    if rng.random() < 0.7:
        request = render_prompt(request, DEFAULT)
    return request, "```python\n" + code.format(f=f, k=k) + "\n```"


THINGS = {"cities": D.CITIES, "countries": D.COUNTRIES, "first names": D.FIRST_NAMES,
          "music genres": D.POOLS["genre"], "school subjects": D.POOLS["course"],
          "company departments": D.POOLS["department"], "skills": D.POOLS["skill"]}
JOBS = ("nurse", "engineer", "teacher", "accountant", "designer", "pilot", "chef", "analyst")


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word


def _person(rng: random.Random) -> dict[str, object]:
    return {"name": f"{rng.choice(D.FIRST_NAMES)} {rng.choice(D.LAST_NAMES)}", "age": rng.randint(19, 70),
            "city": rng.choice(D.CITIES), "job": rng.choice(JOBS), "year": rng.randint(2001, 2024)}


def instruct_task(rng: random.Random) -> tuple[str, str]:
    r = rng.random()
    if r < 0.35:
        kind = rng.choice(sorted(THINGS))
        n = rng.randint(2, 6)
        items = rng.sample(list(THINGS[kind]), n)
        asks = ("Name {n} {k} as a bulleted list.", "Give exactly {n} bullet points, each one of these {k}: {all}.",
                "List {n} {k}, one bullet point each.")
        request = rng.choice(asks).format(n=n, k=kind, all=", ".join(items))
        return request, "\n".join(f"- {x}" for x in items)
    p = _person(rng)
    if r < 0.7:
        keys = rng.sample(["name", "age", "city", "job"], rng.randint(2, 4))
        text = f"{p['name']} is a {p['age']}-year-old {p['job']} who lives in {p['city']}."
        quoted = ", ".join(f'"{k}"' for k in keys)
        asks = ("Return a JSON object with the keys {keys} for this person: {t}",
                "Extract {keys} as JSON from: {t}", "{t}\nAnswer only with JSON using the keys {keys}.")
        return rng.choice(asks).format(keys=quoted, t=text), json.dumps({k: p[k] for k in keys})
    if r < 0.85:
        nums = [rng.randint(1, 99) for _ in range(rng.randint(3, 5))]
        shown = ", ".join(map(str, nums[:-1])) + f" and {nums[-1]}"
        if rng.random() < 0.5:
            return (f"In one sentence, what is the sum of {shown}?", f"The sum of {shown} is {sum(nums)}.")
        return (f"Answer in one sentence: which is the largest of {shown}?", f"The largest number is {max(nums)}.")
    text = (f"{p['name']} works as {_a(str(p['job']))} in {p['city']}. They joined the company in {p['year']}. "
            f"They are {p['age']} years old.")
    return (f"Summarize in one sentence: {text}",
            f"{p['name']} is a {p['age']}-year-old {p['job']} in {p['city']} who joined the company in {p['year']}.")
