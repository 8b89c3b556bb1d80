"""Generate a labelled entity-linking benchmark, deterministic by seed.

Writes, into ``--out``:

- ``external.nt.gz``: an "external" graph in dblp's RDF shape (publications with author
  signatures, persons with ORCID and Wikidata links), gzip-compressed N-Triples;
- ``local.jsonl``: "local" scholarly records in scholkg's JSON Lines format (docs/records.md),
  mostly perturbed copies of external publications, some without counterpart;
- ``truth_works.csv``: per local line, the external record it is (or empty) and the hard-case
  categories applied to it;
- ``truth_persons.csv``: per distinct local printed author name, the dblp person it denotes (or
  empty when it denotes several, or one absent from the external graph);
- ``README.md``: what the files are, the command, and the counts per category.

    python bench/linkgen.py --local 1000 --external 3000 --seed 7 --out bench/linkeval
    python bench/linkgen.py --local 100000 --external 1000000 --seed 1 --out /tmp/linkscale

External publications are generated one at a time from their index (each a pure function of seed
and index) and written at once, so memory holds the person table, the set of dblp keys given,
the local records and the truth, never the external works. Standard library only; the same
arguments give the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import queue
import random
import re
import sys
import threading
import time
import unicodedata
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import accumulate
from pathlib import Path

# ---- categories --------------------------------------------------------------------------------

#: Hard-case categories of a local work, in the order they are written.
WORK_CATEGORIES = (
    "id-doi", "id-dblp", "id-arxiv",
    "title-case", "title-punct", "title-latex", "title-stopwords", "title-typo", "title-subtitle",
    "year-off", "truncated", "initials", "last-first", "diacritics", "homonym", "reordered",
    "near-title-trap", "generic-title", "same-title-different-paper", "no-counterpart",
)
TITLE_PERTURBATIONS = ("title-subtitle", "title-stopwords", "title-typo", "title-punct",
                       "title-case", "title-latex")
#: Categories of a local printed author name (truth_persons.csv).
NAME_CATEGORIES = ("exact", "no-number", "initials", "last-first", "diacritics", "homonym",
                   "ambiguous", "absent")
NAME_BIT = {name: 1 << i for i, name in enumerate(NAME_CATEGORIES)}

# ---- names -------------------------------------------------------------------------------------

CN_SURNAMES = """Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo
Zheng Liang Xie Song Tang Han Feng Deng Cao Peng Zeng Xiao Tian Dong Pan Yuan Cai Jiang Yu Du Ye
Cheng Wei Su Ding Ren Shen Yao Lu Jin Cui Qian Fu Fan Shi Tan Liao Zou Xiong Hao Kong Bai Qiu Qin
Jia Xue Yan Duan Lei Hou Long Wen Meng Mao Tao Gu Kang Hong Dai Yin Bao Wan Gong Ni Chang Lai Shao
Fang Kuang Mo Ou Xiang Zhan Lv Qi""".split()
CN_GIVEN = """Lei Wei Jing Yang Xin Hao Jun Tao Bo Yu Yi Lin Min Jie Peng Qiang Ying Fei Lu Chao Kai
Rui Hui Jian Ming Yan Xu Yue Dong Feng Gang Hong Jia Kun Li Long Nan Ning Ping Qi Shuai Tian Ting
Wen Xi Xiao Yong Zhe Zheng Zhi Chen Cheng Dan Di Fan Heng Jiang Juan Lan Le Liang Mei Meng Na Pei
Qing Ran Rong Shan Song Xia Xiang Yao Ye Yun Zhen Zhong""".split()
CN_SYLLABLES_2 = """ao an bin bo chao chen cheng dong fei feng gang guang hai hang hao heng hong hua
hui jia jian jiang jie jin jing jun kai kang kun lei li liang lin ling long lu min ming nan peng
qi qian qiang qing rui shan sheng shu song tao teng ting wei wen xi xiang xiao xin xing xu xuan ya
yan yang yao yi ying yong yu yuan yue yun ze zhe zhen zheng zhi zhong zi""".split()
EU_GIVEN = """Michael David Thomas Daniel Peter Martin Andreas Stefan Christian Markus Tobias Jan
Lukas Alexander Sebastian Matthias Julia Anna Maria Laura Sarah Emma Sophie Clara Elena Marco Luca
Giovanni Francesco Andrea Paolo Pierre Jean Nicolas Julien Antoine François Sébastien Jérôme Hervé
Grégoire José Jose Juan Carlos Javier Miguel Ángel Pablo Sergio Björn Jürgen Jörg Søren Lars Nils
Erik Oliver Samuel William Robert Richard Joseph Charles George Henry Paul Mark Ian Adam Simon Šimon
Tomáš Jiří Ondřej Lukáš Łukasz Piotr Krzysztof Marek Zoë Renée Ömer Çağlar Jean-Pierre
Jean-Baptiste Hans-Peter Karl-Heinz Anne-Marie Francois Sebastien Jerome""".split()
EU_SURNAMES = """Smith Johnson Brown Williams Jones Miller Davis Wilson Taylor Anderson Thomas Moore
Martin Martín Müller Muller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch
Richter Wolf Schröder Neumann Schwarz Zimmermann Krüger Hartmann Lange Werner Krause Lehmann Köhler
Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Bruno Dubois Durand Lefèvre
Lefebvre Moreau Laurent Girard Bonnet Rousseau García Garcia Pérez Perez Gómez Gomez Sánchez
Sanchez Hernández Hernandez López Lopez Rodríguez Rodriguez Fernández González Nowak Kowalski
Wiśniewski Dvořák Novák Svoboda Kovačević Jansen Bakker Visser Larsen Nielsen Hansen Andersson
Johansson Karlsson Nilsson Gülçehre Yılmaz Öztürk Schölkopf""".split() + [
    "de Vries", "van den Berg", "van der Maaten", "de la Torre"]
IN_GIVEN = """Amit Rahul Ankit Rohit Vikas Sandeep Sanjay Vijay Ravi Arun Anil Sunil Deepak Manish
Nikhil Pranav Aditya Arjun Karthik Srinivas Venkatesh Priya Pooja Neha Anjali Divya Shreya Kavya
Lakshmi Ananya Siddharth Abhishek Gaurav Harsh Ishaan Kunal Mohit Rajesh Suresh Ramesh""".split()
IN_SURNAMES = """Kumar Sharma Singh Gupta Patel Reddy Rao Jain Agarwal Mehta Shah Iyer Nair Menon
Das Bose Chatterjee Banerjee Mukherjee Ghosh Verma Mishra Pandey Joshi Kulkarni Desai Srinivasan
Krishnan Raman Subramanian Chandra Saxena""".split()
KR_SYLLABLES = """Jae Hyun Min Seung Ji Young Sung Dong Hye Soo Kyung Tae Joon Sang Yoon Eun Woo
Ho Won Jin Hoon Yeon Seo Hwan Chul Gyu Hee Jun Kwang Myung""".split()
KR_SURNAMES = """Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang Ahn Song
Yoo Hong""".split()
#: Names given on purpose to many distinct persons (dblp homonym groups).
HOMONYM_NAMES = (("Lei", "Wang"), ("Wei", "Zhang"), ("Yang", "Liu"), ("Wei", "Wang"), ("Jun", "Li"),
                 ("Xin", "Li"), ("Hao", "Chen"), ("Yu", "Zhang"), ("Jing", "Li"), ("Lei", "Zhang"),
                 ("Amit", "Kumar"), ("Rahul", "Sharma"), ("Thomas", "Müller"),
                 ("Michael", "Schmidt"), ("Jae-Hyun", "Kim"))
#: ((how to vary, given names), surnames, weight) per naming culture; lists are in
#: descending frequency (see expand_given).
CULTURES = (
    (("cn", CN_GIVEN), CN_SURNAMES, 0.50),
    (("initials", EU_GIVEN), EU_SURNAMES, 0.27),
    (("initials", IN_GIVEN), IN_SURNAMES, 0.13),
    (("kr", KR_SYLLABLES), KR_SURNAMES, 0.10),
)
#: Share of persons given one of HOMONYM_NAMES; chance that a drawn name already taken is kept.
HOMONYM_SHARE, COMMON_HOMONYM = 0.03, 0.1
#: ASCII spellings that also exist with diacritics, for adding them.
ADD_DIACRITICS = {"Muller": "Müller", "Jose": "José", "Gomez": "Gómez", "Perez": "Pérez",
                  "Garcia": "García", "Martin": "Martín", "Sanchez": "Sánchez",
                  "Hernandez": "Hernández", "Simon": "Šimon", "Francois": "François",
                  "Sebastien": "Sébastien", "Jerome": "Jérôme", "Lopez": "López",
                  "Rodriguez": "Rodríguez", "Lefebvre": "Lefèvre"}
#: Letters NFKD does not decompose.
FOLD_LETTERS = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ı": "i", "ß": "ss"})


def expand_given(spec: tuple[str, list[str]]) -> list[tuple[str, float]]:
    """All given names of a culture with their weights, the first of a list the most common:
    Chinese one-syllable names (30%) and two-syllable ones ("Hongsheng"); Western and Indian
    names, 15% of them with a middle initial ("Michael I."); Korean syllable pairs written
    "Jae-Hyun" or "Jaehyun"."""
    how, names = spec
    base = [(n, 1 / (r + 10)) for r, n in enumerate(names)]
    if how == "cn":
        two = [(a + b.lower(), w) for a, w in base for b in CN_SYLLABLES_2 if a.lower() != b]
        return _share(base, 0.3) + _share(two, 0.7)
    if how == "initials":
        middle = [(f"{n} {c}.", w) for n, w in base for c in "ABCDEFGHIJKLMNOPRSTW"]
        return _share(base, 0.85) + _share(middle, 0.15)
    return [(f"{a}-{b}" if (i + j) % 2 else a + b.lower(), 1.0)
            for i, a in enumerate(names) for j, b in enumerate(names) if a != b]


def _share(weighted: list[tuple[str, float]], share: float) -> list[tuple[str, float]]:
    """The weights scaled to sum to ``share``."""
    total = sum(w for _, w in weighted)
    return [(n, share * w / total) for n, w in weighted]


# ---- titles ------------------------------------------------------------------------------------

ADJECTIVES = """Efficient Robust Scalable Sparse Deep Federated Contrastive Self-Supervised
Multi-Modal Zero-Shot Few-Shot Adversarial Hierarchical Equivariant Interpretable Continual
Provable Differentiable Bayesian Causal Lightweight Fine-Grained Long-Range Implicit Dynamic
Adaptive Generalizable Compositional Structured Probabilistic Neural Latent Conditional
Decentralized Private Fair Calibrated Data-Efficient Memory-Efficient Parameter-Efficient
Open-Vocabulary Cross-Lingual Multilingual Temporal Spatio-Temporal Geometric Stochastic
Variational Controllable Faithful Certified Masked Universal""".split()
NOUNS = ["Neural Networks", "Transformers", "Graph Neural Networks", "Language Models",
         "Large Language Models", "Diffusion Models", "Vision Transformers", "Representations",
         "Embeddings", "Policies", "Point Clouds", "Knowledge Graphs", "Generative Models",
         "Autoencoders", "Recurrent Networks", "Convolutional Networks", "Mixture of Experts",
         "Normalizing Flows", "Energy-Based Models", "Kernels", "Gaussian Processes",
         "Decision Trees", "Agents", "Reward Models", "Retrievers", "Tokenizers", "Features",
         "Attention Mechanisms", "Neural Fields", "Scene Graphs", "Word Embeddings",
         "Sequence Models", "State Space Models", "Priors", "Bandits", "CNNs", "GANs", "LLMs"]
TASKS = ["Image Classification", "Object Detection", "Semantic Segmentation",
         "Machine Translation", "Question Answering", "Recommendation", "Link Prediction",
         "Node Classification", "Text Classification", "Speech Recognition", "Image Generation",
         "Video Understanding", "Pose Estimation", "Depth Estimation", "Domain Adaptation",
         "Continual Learning", "Reinforcement Learning", "Offline Reinforcement Learning",
         "Anomaly Detection", "Time Series Forecasting", "Entity Linking",
         "Named Entity Recognition", "Relation Extraction", "Code Generation",
         "Program Synthesis", "Molecule Generation", "Protein Structure Prediction",
         "Visual Question Answering", "Image Captioning", "Text-to-Image Synthesis",
         "Dialogue Generation", "Information Retrieval", "Click-Through Rate Prediction",
         "Graph Classification", "Causal Inference", "Neural Architecture Search",
         "Hyperparameter Optimization", "Motion Planning", "Trajectory Prediction",
         "Summarization", "Sentiment Analysis", "Person Re-Identification",
         "Optical Flow Estimation", "Super-Resolution", "Image Restoration", "3D Reconstruction",
         "NLP", "RL", "Autonomous Driving", "Medical Image Analysis"]
METHODS = """Learning Training Pruning Quantization Distillation Optimization Regularization
Pretraining Fine-Tuning Prompting Alignment Modeling Normalization Generalization Sampling
Inference Reasoning Planning Exploration Calibration Compression Augmentation Tokenization
Retrieval Search Attribution Visualization Unlearning Scaling Editing""".split()
PROPERTIES = ["Convergence", "Generalization", "Expressivity", "Robustness", "Sample Complexity",
              "Implicit Bias", "Stability", "Calibration", "Limitations", "Role",
              "Optimization Landscape", "Inductive Bias", "Transferability", "Identifiability"]
CONNECTIVES = ("for", "via", "with", "in", "under", "from", "through", "beyond", "using")
SUBTITLES = ["A Survey", "A Benchmark", "A Unified Framework", "A Case Study",
             "A Theoretical Analysis", "An Empirical Study", "Theory and Practice",
             "Algorithms and Applications", "A Simple Baseline", "Lessons Learned",
             "Methods and Evaluation", "A Closer Look", "Challenges and Opportunities"]
QUESTIONS = ["Do {A} {N} Really Need {M} for {T}?", "Is {A} {M} All You Need for {A} {T}?",
             "When Does {M} Help {A} {N} under {Q}?", "Can {A} {N} Learn {A} {T}?",
             "How Robust Are {A} {N} to {Q}?", "What Makes {A} {M} Work for {A} {T}?"]
CONDITIONS = ["Distribution Shift", "Label Noise", "Limited Data", "Class Imbalance",
              "Partial Observability", "Adversarial Attacks", "Missing Modalities",
              "Long-Tailed Data", "Privacy Constraints", "Sparse Rewards", "Concept Drift",
              "Low-Resource Settings", "Heterogeneous Clients", "Compute Budgets"]
DOMAINS = ["Healthcare", "Robotics", "E-Commerce", "Remote Sensing", "Finance",
           "Drug Discovery", "Education", "Scientific Discovery", "Social Networks",
           "Legal Documents", "Climate Science", "Smart Grids", "Medical Imaging"]
#: Endings that make most titles unique: {S} in a template is one of these.
SUFFIXES = (" with {A} {N}", " via {A} {M}", " under {Q}", " for {A} {T}", " in {D}",
            " from {A} {N}", " for {T} in {D}", " under {Q} at Scale")
EPONYMS = ["Rényi Divergence", "Fréchet Distance", "Lévy Flights", "Hölder Continuity",
           "Gödel Machines", "Schrödinger Bridges", "Poincaré Embeddings", "Kähler Geometry",
           "Erdős-Rényi Graphs", "Gröbner Bases", "Bézier Curves", "Naïve Bayes",
           "Schölkopf's Kernel Trick", "Stein's Method", "Wasserstein Distance"]
COINED_HEADS = """Sparse Graph Omni Mix Fast Deep Flow Point Swin Long Meta Hyper Co Uni Dyna Seg Vi
Diff Prompt Token Mask Align Prox Grad Octo Lumi Vista Quill Nova""".split()
COINED_TAILS = """Former Net GAN Conv BERT Diff Match Mix Prompt Seg Fusion Flow NeRF CLIP GPT Rank
Walk Pool Norm Drop Mamba Adapter""".split()
GREEK = ("α", "β", "γ", "δ", "ε", "λ", "μ")
#: Near-identical titles: {X} is one token of the pair; the other token makes a different paper.
TRAP_TEMPLATES = (
    ("{A} {X} Object Detection with {A} {N}{S}", ("2D", "3D")),
    ("{X} Human Pose Estimation from {A} {N}{S}", ("2D", "3D")),
    ("Evaluating {X} on {A} {T} Benchmarks{S}", ("GPT-3", "GPT-4")),
    ("{A} {N} for {T}{S}, Part {X}", ("I", "II")),
    ("{M} {A} {N} {X} Backpropagation{S}", ("with", "without")),
    ("{M} {A} {N} {X} Labels for {T}", ("with", "without")),
    ("{X} {M} of {A} {N}{S}", ("Supervised", "Unsupervised")),
    ("{X} {T} with {A} {N}{S}", ("Online", "Offline")),
    ("{X} Reinforcement Learning with {A} {N}{S}", ("Single-Agent", "Multi-Agent")),
    ("{A} {M} for {X} Objectives{S}", ("Convex", "Non-Convex")),
    ("{X} {N} for {A} {T}{S}", ("Sparse", "Dense")),
    ("{X} Bounds for {A} {N}{S}", ("Upper", "Lower")),
    ("{A} {X} Generation with {A} {N}{S}", ("Image", "Video")),
)
GENERIC_TITLES = ("Editorial", "Introduction", "Preface", "Guest Editorial", "Foreword",
                  "Editor's Note")
#: American -> British spellings (titles keep American mostly; a typo swaps either way).
SPELLINGS = {"optimization": "optimisation", "Optimization": "Optimisation",
             "modeling": "modelling", "Modeling": "Modelling",
             "normalization": "normalisation", "Normalization": "Normalisation",
             "generalization": "generalisation", "Generalization": "Generalisation",
             "regularization": "regularisation", "Regularization": "Regularisation",
             "visualization": "visualisation", "Visualization": "Visualisation",
             "tokenization": "tokenisation", "Tokenization": "Tokenisation",
             "Tokenizers": "Tokenisers", "Normalizing": "Normalising", "behavior": "behaviour"}
SPELLING_SWAPS = {**SPELLINGS, **{b: a for a, b in SPELLINGS.items()}}
BRITISH_SHARE = 0.05
LATEX_ACCENTS = {"ö": '{\\"o}', "ü": '{\\"u}', "ä": '{\\"a}', "é": "{\\'e}", "è": "{\\`e}",
                 "ő": "{\\H{o}}", "ï": '{\\"i}', "ç": "{\\c{c}}", "ñ": "{\\~n}", "á": "{\\'a}",
                 "í": "{\\'i}", "ó": "{\\'o}", "ú": "{\\'u}", "š": "{\\v{s}}", "č": "{\\v{c}}"}
LATEX_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon",
               "λ": "lambda", "μ": "mu"}
_ACRONYM = re.compile(r"\b(?=\w*[A-Z]\w*[A-Z])[A-Za-z]\w*(?:-\d+)?\b")
_TYPO_WORD = re.compile(r"\b[A-Za-z][a-z]{4,}\b")

# ---- venues ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Venue:
    """A dblp stream: short name (dblp:publishedIn), stream id, kind, weight, the years it runs,
    a DOI pattern and the names local records print."""

    short: str
    stream: str
    kind: str  # "conf", "journal" or "corr"
    weight: float
    local_names: tuple[str, ...]
    doi: str | None = None  # str.format pattern over y (year), v (AAAI volume), n (unique)
    first_year: int = 2010
    parity: int | None = None  # years % 2 it runs in

    def runs_in(self, year: int) -> bool:
        return year >= self.first_year and (self.parity is None or year % 2 == self.parity)

    def published_in(self, year: int) -> str:
        return "NIPS" if self.short == "NeurIPS" and year <= 2017 else self.short


VENUES = (
    Venue("CoRR", "journals/corr", "corr", 20, ("arXiv", "CoRR")),
    Venue("NeurIPS", "conf/nips", "conf", 10,
          ("NeurIPS", "Advances in Neural Information Processing Systems")),
    Venue("ICML", "conf/icml", "conf", 8, ("ICML", "International Conference on Machine Learning")),
    Venue("ICLR", "conf/iclr", "conf", 8, ("ICLR",), first_year=2013),
    Venue("CVPR", "conf/cvpr", "conf", 8, ("CVPR", "IEEE/CVF CVPR"), "10.1109/CVPR.{y}.{n:07d}"),
    Venue("ICCV", "conf/iccv", "conf", 3, ("ICCV",), "10.1109/ICCV.{y}.{n:07d}", parity=1),
    Venue("ECCV", "conf/eccv", "conf", 3, ("ECCV",), "10.1007/978-3-031-{n:07d}_{y}", parity=0),
    Venue("AAAI", "conf/aaai", "conf", 7, ("AAAI",), "10.1609/aaai.v{v}i1.{n}"),
    Venue("IJCAI", "conf/ijcai", "conf", 4, ("IJCAI",), "10.24963/ijcai.{y}/{n}"),
    Venue("ACL", "conf/acl", "conf", 4, ("ACL", "ACL (1)"), "10.18653/v1/{y}.acl-long.{n}"),
    Venue("EMNLP", "conf/emnlp", "conf", 4, ("EMNLP",), "10.18653/v1/{y}.emnlp-main.{n}"),
    Venue("KDD", "conf/kdd", "conf", 3, ("KDD", "SIGKDD"), "10.1145/{y}.{n:07d}"),
    Venue("WWW", "conf/www", "conf", 3, ("WWW", "The Web Conference"), "10.1145/{y}.{n:07d}"),
    Venue("SIGIR", "conf/sigir", "conf", 2, ("SIGIR",), "10.1145/{y}.{n:07d}"),
    Venue("IEEE Trans. Pattern Anal. Mach. Intell.", "journals/pami", "journal", 3,
          ("TPAMI", "IEEE Transactions on Pattern Analysis and Machine Intelligence"),
          "10.1109/TPAMI.{y}.{n:07d}"),
    Venue("J. Mach. Learn. Res.", "journals/jmlr", "journal", 2,
          ("JMLR", "Journal of Machine Learning Research")),
    Venue("Trans. Mach. Learn. Res.", "journals/tmlr", "journal", 2, ("TMLR",), first_year=2022),
    Venue("Artif. Intell.", "journals/ai", "journal", 1, ("Artificial Intelligence", "AIJ"),
          "10.1016/j.artint.{y}.{n:07d}"),
    Venue("Mach. Learn.", "journals/ml", "journal", 1, ("Machine Learning",),
          "10.1007/s10994-{y}-{n:07d}"),
    Venue("Neural Networks", "journals/nn", "journal", 1, ("Neural Networks",),
          "10.1016/j.neunet.{y}.{n:07d}"),
    Venue("IEEE Trans. Neural Networks Learn. Syst.", "journals/tnn", "journal", 1,
          ("TNNLS",), "10.1109/TNNLS.{y}.{n:07d}"),
    Venue("Pattern Recognit.", "journals/pr", "journal", 1, ("Pattern Recognition",),
          "10.1016/j.patcog.{y}.{n:07d}"),
)
JOURNALS = tuple(v for v in VENUES if v.kind == "journal")
YEARS = tuple(range(2010, 2026))
YEAR_CUM = tuple(accumulate(1.15 ** (y - 2010) for y in YEARS))
#: Weights of 1..15 authors per work (about 12% have more than 8).
AUTHOR_COUNT_WEIGHTS = (4, 12, 18, 18, 14, 10, 7, 5, 3.5, 2.5, 2, 1.5, 1, 0.8, 0.7)
#: Share of publications at a DOI venue that have a DOI; of works and persons with Wikidata.
DOI_SHARE, WORK_QID_SHARE, PERSON_QID_SHARE, ORCID_SHARE = 0.85, 0.20, 0.10, 0.25
#: Persons of one community ("lab"): co-authors come from the first author's lab this often.
COMMUNITY_SIZE, SAME_COMMUNITY = 40, 0.65
#: Local-only works by newcomers: share of such works, of newcomers among their authors.
NEWCOMER_WORKS, NEWCOMER_SHARE = 0.5, 0.7

# ---- RDF ---------------------------------------------------------------------------------------

DBLP = "https://dblp.org/rdf/schema#"
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"
REC = "https://dblp.org/rec/"
PID = "https://dblp.org/pid/"
TYPE_OF_KIND = {"conf": "Inproceedings", "journal": "Article", "corr": "Informal"}


#: dblp schema terms as N-Triples IRIs: D["title"] == "<https://dblp.org/rdf/schema#title>".
D = {name: f"<{DBLP}{name}>" for name in """Publication Inproceedings Article Informal Person
AuthorSignature title yearOfPublication doi publishedIn publishedInStream numberOfCreators
wikidata hasSignature signatureOrdinal signatureDblpName signatureCreator signaturePublication
authoredBy primaryCreatorName orcid""".split()}
GYEAR, INTEGER = f"<{XSD}gYear>", f"<{XSD}integer>"


def literal(text: str) -> str:
    """An N-Triples string literal."""
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{text}"'


# ---- deterministic helpers ---------------------------------------------------------------------

def scramble(value: int, salt: int) -> int:
    """A bijection of [0, 10**7): distinct inputs give distinct 7-digit numbers."""
    return (value * 7919 + salt * 104729) % 10_000_000


def digest(*parts: object) -> int:
    """A 64-bit number from the parts (stable across runs and machines)."""
    text = "/".join(map(str, parts)).encode("utf-8")
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def zipf(rng: random.Random, n: int, k: float) -> int:
    """A rank in [0, n) with P(r) ~ 1/(r + k): a few ranks take many draws."""
    return min(n - 1, int(k * ((n + k) / k) ** rng.random() - k))


def orcid(number: int) -> str:
    """An ORCID iD (0000-000d-nnnn-nnnc) for a number below 10**7, whose last digit is the ISO
    7064 MOD 11-2 check digit; distinct numbers give distinct iDs."""
    digits = f"0000000{1 + number % 3}{number:07d}"
    total = 0
    for ch in digits:
        total = (total + int(ch)) * 2
    check = (12 - total % 11) % 11
    full = digits + ("X" if check == 10 else str(check))
    return "-".join(full[i:i + 4] for i in range(0, 16, 4))


def strip_diacritics(text: str) -> str:
    """"Müller" -> "Muller", "Łukasz" -> "Lukasz"."""
    t = unicodedata.normalize("NFKD", text.translate(FOLD_LETTERS))
    return unicodedata.normalize("NFC", "".join(ch for ch in t if not unicodedata.combining(ch)))


def person_key(name: str) -> str:
    """scholkg's identity of a printed name: NFKC, case and whitespace folded, number kept."""
    name = " ".join(unicodedata.normalize("NFC", name).split())
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def title_key(title: str) -> str:
    """scholkg's title key (case and punctuation folded)."""
    return re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", title).casefold()).strip()


# ---- persons -----------------------------------------------------------------------------------

class People:
    """The person pool: each person a (given name, surname) pair, a homonym number when several
    persons share the name, and identifiers derived from the index. Person 0 is the most
    productive; persons are drawn Zipf-like, co-authors mostly from the same community. The
    ``newcomers`` after the first ``count`` persons are drawn only for local-only works."""

    def __init__(self, count: int, newcomers: int, seed: int):
        rng = random.Random(f"{seed}/people")
        self.seed = seed
        self.count = count
        self.size = count + newcomers
        self.given: list[str] = []
        self.surnames: list[str] = []
        self._given_index: dict[str, int] = {}
        self._surname_index: dict[str, int] = {}
        self.cultures = [self._culture(*c) for c in CULTURES]
        self._culture_cum = list(accumulate(c[2] for c in CULTURES))
        homonyms = [(self._given_index[g], self._surname_index[s]) for g, s in HOMONYM_NAMES]
        taken = bytearray(len(self.given) * len(self.surnames))
        self.given_of = array("I")
        self.surname_of = array("I")
        for _ in range(self.size):
            g, s = rng.choice(homonyms) if rng.random() < HOMONYM_SHARE else \
                self._fresh_name(rng, taken)
            taken[g * len(self.surnames) + s] = 1
            self.given_of.append(g)
            self.surname_of.append(s)
        self.number = self._homonym_numbers(rng)
        self.communities = max(1, count // COMMUNITY_SIZE)
        self.k_global = 50 + count / 200

    def _culture(self, given: tuple[str, ...], surnames: list[str], _weight: float
                 ) -> tuple[list[int], list[float], list[int], list[float]]:
        """Given names (with their variants) and surnames of one culture as indices, with
        cumulated Zipf-like weights: the first names of each list are the most common."""
        names = expand_given(given)
        g = [self._intern(n, self.given, self._given_index) for n, _ in names]
        s = [self._intern(n, self.surnames, self._surname_index) for n in surnames]
        return (g, list(accumulate(w for _, w in names)),
                s, list(accumulate(1 / (r + 3) for r in range(len(s)))))

    def _fresh_name(self, rng: random.Random, taken: bytearray) -> tuple[int, int]:
        """A name of a random culture; a name already taken is kept only now and then
        (COMMON_HOMONYM), so most names are unique until the name space fills up."""
        g_list, g_cum, s_list, s_cum = rng.choices(self.cultures, cum_weights=self._culture_cum)[0]
        for attempt in range(12):
            if attempt < 3:
                g = rng.choices(g_list, cum_weights=g_cum)[0]
                s = rng.choices(s_list, cum_weights=s_cum)[0]
            else:
                g, s = rng.choice(g_list), rng.choice(s_list)
            if not taken[g * len(self.surnames) + s] or rng.random() < COMMON_HOMONYM:
                break
        return g, s

    @staticmethod
    def _intern(name: str, names: list[str], index: dict[str, int]) -> int:
        if name not in index:
            index[name] = len(names)
            names.append(name)
        return index[name]

    def _code(self, i: int) -> int:
        return self.given_of[i] * len(self.surnames) + self.surname_of[i]

    def _homonym_numbers(self, rng: random.Random) -> array:
        """dblp numbers every person of a shared name: distinct four-digit numbers per name."""
        counts = Counter(self._code(i) for i in range(self.size))
        members: dict[int, list[int]] = {}
        for i in range(self.size):
            code = self._code(i)
            if counts[code] > 1:
                members.setdefault(code, []).append(i)
        number = array("H", bytes(2 * self.size))
        for group in members.values():
            for i, n in zip(group, rng.sample(range(1, 3 * len(group) + 10), len(group)), strict=True):
                number[i] = n
        return number

    def parts(self, i: int) -> tuple[str, str, str]:
        """(given name, surname, homonym number or "")."""
        n = self.number[i]
        return self.given[self.given_of[i]], self.surnames[self.surname_of[i]], \
            f"{n:04d}" if n else ""

    def dblp_name(self, i: int) -> str:
        given, surname, number = self.parts(i)
        return f"{given} {surname} {number}" if number else f"{given} {surname}"

    def pid(self, i: int) -> str:
        """dblp-like pid: "27/7402"; members of a homonym group share a stem: "41/1234-185"."""
        if self.number[i]:
            x = scramble(self._code(i), self.seed + 1)
            return f"{1 + x // 10000}/{x % 10000:04d}-{self.number[i]}"
        x = scramble(i, self.seed)
        return f"{1 + x // 10000}/{x % 10000:04d}"

    def orcid(self, i: int) -> str | None:
        if digest(self.seed, "orcid", i) % 100 >= ORCID_SHARE * 100:
            return None
        return orcid(scramble(i, self.seed + 2))

    def wikidata(self, i: int) -> str | None:
        if digest(self.seed, "person-qid", i) % 100 >= PERSON_QID_SHARE * 100:
            return None
        return f"Q{40_000_000 + scramble(i, self.seed + 3)}"

    def draw_authors(self, rng: random.Random, count: int) -> list[int]:
        """Distinct persons: the first Zipf-like over everyone, the others mostly of the first
        one's community."""
        first = zipf(rng, self.count, self.k_global)
        out = [first]
        community = first % self.communities
        size = -(-self.count // self.communities)
        while len(out) < count:
            if rng.random() < SAME_COMMUNITY:
                i = zipf(rng, size, 2) * self.communities + community
            else:
                i = zipf(rng, self.count, self.k_global)
            if i < self.count and i not in out:
                out.append(i)
        return out

    def draw_with_newcomers(self, rng: random.Random, count: int) -> list[int]:
        """Distinct persons, most of them newcomers (absent from the external graph)."""
        out = self.draw_authors(rng, count)
        for position in range(count):
            if rng.random() < NEWCOMER_SHARE:
                newcomer = rng.randrange(self.count, self.size)
                if newcomer not in out:
                    out[position] = newcomer
        return out


# ---- titles ------------------------------------------------------------------------------------

def coined(rng: random.Random) -> str:
    """A method name such as "GraphFormer", "α-MaskCLIP" or "SegNet++"."""
    name = rng.choice(COINED_HEADS) + rng.choice(COINED_TAILS)
    roll = rng.random()
    if roll < 0.08:
        return f"{rng.choice(GREEK)}-{name}"
    if roll < 0.16:
        return name + rng.choice(("++", "-v2", "-XL", "-2"))
    return name


SLOTS = {"A": ADJECTIVES, "N": NOUNS, "T": TASKS, "M": METHODS, "P": PROPERTIES,
         "E": EPONYMS, "Q": CONDITIONS, "D": DOMAINS, "K": CONNECTIVES}


def fill(template: str, rng: random.Random) -> str:
    """The template with its slots filled: {S} an ending (SUFFIXES), {C} a coined method name,
    the other letters a word of SLOTS ({A}djective, {N}oun, {T}ask, {M}ethod, ...)."""
    template = re.sub(r"\{S\}", lambda m: rng.choice(SUFFIXES), template)
    return re.sub(r"\{([A-Z])\}", lambda m: coined(rng) if m.group(1) == "C"
                  else rng.choice(SLOTS[m.group(1)]), template)


REGULAR_TEMPLATES = (
    "{C}: {A} {M} of {N} for {T}", "{A} {N} for {T}{S}", "{M} {A} {N} via {A} {M}{S}",
    "Towards {A} {M} for {A} {N}{S}", "On the {P} of {A} {N}{S}",
    "{A} {M} for {T} with {A} {N}", "{C}: {A} {N} {K} {T}{S}", "Rethinking {M} in {A} {N}{S}",
    "{E} for {A} {N}{S}", "{A} and {A} {M} of {N} for {A} {T}", "The {P} of {A} {M} in {N}{S}",
    "A {A} Approach to {A} {T}{S}", "{M} to {M}: {A} {N} for {T}", "{A} {M} {K} {E}{S}",
)


def regular_title(rng: random.Random) -> str:
    """A title of 5-14 words from ML/CS vocabulary, sometimes with a subtitle or a question."""
    while True:
        roll = rng.random()
        if roll < 0.08:
            title = fill(rng.choice(QUESTIONS), rng)
        else:
            title = fill(rng.choice(REGULAR_TEMPLATES), rng)
            if roll > 0.75 and ":" not in title:
                title = f"{title}: {rng.choice(SUBTITLES)}"
        if 5 <= len(title.split()) <= 14:
            title = re.sub(r"\bA (?=[AEIOU])", "An ", title)
            return britishise(title) if rng.random() < BRITISH_SHARE else title


def britishise(title: str) -> str:
    return " ".join(SPELLINGS.get(w, w) for w in title.split(" "))


def trap_title(rng: random.Random) -> tuple[str, tuple[str, str], int]:
    """A title with a swappable token: (title with "{X}", the token pair, index used)."""
    while True:
        template, pair = rng.choice(TRAP_TEMPLATES)
        title = fill(template.replace("{X}", "\0"), rng).replace("\0", "{X}")
        if 5 <= len(title.split()) <= 14:
            return title, pair, rng.randrange(2)


# ---- publications ------------------------------------------------------------------------------

@dataclass
class Pub:
    """One publication: external (index < number of external works) or local-only."""

    index: int
    title: str  # without dblp's final period
    year: int
    venue: Venue
    authors: list[int]
    doi: str | None = None
    arxiv: str | None = None
    wikidata: str | None = None
    key: str = ""
    role: str = ""  # "", "trap-base", "trap-twin", "same-a", "same-b", "generic"

    @property
    def iri(self) -> str:
        return REC + self.key


class World:
    """Publications as pure functions of (seed, index), and the plan of hard cases: which
    indices are near-identical-title pairs, same-title pairs and generic titles."""

    def __init__(self, people: People, seed: int, external: int):
        self.people = people
        self.seed = seed
        self.external = external
        self.plan: dict[int, tuple[str, int]] = {}  # index -> (role, other index)
        self.by_year = {y: ([v for v in VENUES if v.runs_in(y)],
                            list(accumulate(v.weight for v in VENUES if v.runs_in(y))))
                        for y in YEARS}

    def title_parts(self, i: int) -> tuple[str, tuple[str, str] | None, int]:
        """(title or trap template, trap pair or None, pair index) of publication i."""
        role, other = self.plan.get(i, ("", -1))
        rng = random.Random(f"{self.seed}/title/{i}")
        if role == "trap-base":
            return trap_title(rng)
        if role == "trap-twin":
            template, pair, k = self.title_parts(other)
            return template, pair, 1 - k
        if role == "same-b":
            return self.title_parts(other)
        if role == "generic":
            return rng.choice(GENERIC_TITLES), None, 0
        return regular_title(rng), None, 0

    def title(self, i: int) -> str:
        template, pair, k = self.title_parts(i)
        return template.replace("{X}", pair[k]) if pair else template

    def year_venue(self, i: int, rng: random.Random) -> tuple[int, Venue]:
        role, _ = self.plan.get(i, ("", -1))
        year = rng.choices(YEARS, cum_weights=YEAR_CUM)[0]
        if role == "generic":
            return year, rng.choice([v for v in JOURNALS if v.runs_in(year)])
        venues, cum = self.by_year[year]
        return year, rng.choices(venues, cum_weights=cum)[0]

    def make(self, i: int) -> Pub:
        """Publication i (without its dblp key, which the writer gives)."""
        rng = random.Random(f"{self.seed}/work/{i}")
        role, other = self.plan.get(i, ("", -1))
        year, venue = self.year_venue(i, rng)
        if role == "generic":
            count = rng.choice((1, 1, 2, 3))
        else:
            count = rng.choices(range(1, 16), weights=AUTHOR_COUNT_WEIGHTS)[0]
        pub = Pub(i, self.title(i), year, venue, self.people.draw_authors(rng, count), role=role)
        if i >= self.external and not role and rng.random() < NEWCOMER_WORKS:
            pub.authors = self.people.draw_with_newcomers(rng, count)
        if role in ("trap-twin", "same-b"):
            self._twin(pub, self.make(other), rng)
        self._identifiers(pub, rng)
        return pub

    def _twin(self, pub: Pub, base: Pub, rng: random.Random) -> None:
        """The other paper of a trap pair: same title and year with other authors ("same-b"),
        or one token off with other authors or another year ("trap-twin"); half of the time
        at the same venue."""
        pub.year = base.year
        _, pair, _ = self.title_parts(pub.index)
        if pub.role == "same-b":
            pass
        elif pair == ("I", "II"):
            pub.authors = list(base.authors)
            pub.year = base.year + 1 if base.year < YEARS[-1] else base.year - 1
        elif rng.random() < 0.3:
            pub.year = base.year + (1 if rng.random() < 0.5 and base.year < YEARS[-1] else -1)
        if rng.random() < 0.5 or not pub.venue.runs_in(pub.year):
            pub.venue = base.venue if base.venue.runs_in(pub.year) else VENUES[0]

    def _identifiers(self, pub: Pub, rng: random.Random) -> None:
        n = scramble(pub.index, self.seed + 4)
        if pub.venue.kind == "corr":
            pub.arxiv = arxiv_id(pub.year, rng)
            pub.doi = f"10.48550/arXiv.{pub.arxiv}"
        elif pub.venue.doi and rng.random() < DOI_SHARE:
            pub.doi = pub.venue.doi.format(y=pub.year, v=pub.year - 1986, n=n)
        if rng.random() < WORK_QID_SHARE:
            pub.wikidata = f"Q{100_000_000 + n}"


def arxiv_id(year: int, rng: random.Random) -> str:
    """An arXiv id of that year: four-digit numbers before 2015, five from then."""
    month = rng.randint(1, 12)
    number = rng.randint(1, 9999) if year < 2015 else rng.randint(1, 29999)
    width = 4 if year < 2015 else 5
    return f"{year % 100:02d}{month:02d}.{number:0{width}d}"


# ---- the external graph ------------------------------------------------------------------------

class ExternalWriter:
    """Writes publications and (after their first publication) persons as gzip N-Triples,
    giving each publication a unique dblp key. Compression runs in a thread (zlib releases
    the GIL), so it overlaps with generating the next publications."""

    def __init__(self, path: Path, people: People):
        self.people = people
        self.raw = open(path, "wb")
        self.gz = gzip.GzipFile(filename="", mode="wb", fileobj=self.raw, mtime=0,
                                compresslevel=6)
        self.chunks: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self.error: BaseException | None = None
        self.compressor = threading.Thread(target=self._compress, daemon=True)
        self.compressor.start()
        self.buffer: list[str] = []
        self._terms = lru_cache(maxsize=1 << 16)(self._make_terms)
        self.keys: set[int] = set()
        self.emitted = bytearray(people.size)
        self.blank = 0
        self.triples = 0
        self.persons = 0

    def _key_free(self, key: str) -> bool:
        h = digest("key", key)
        if h in self.keys:
            return False
        self.keys.add(h)
        return True

    def assign_key(self, pub: Pub, seed: int) -> None:
        """dblp-style key: first author's surname, initials of the next ones, two-digit year,
        and a letter when taken ("WangLZ21a"); CoRR: "abs-YYMM-NNNNN" (the id redrawn if
        taken)."""
        if pub.venue.kind == "corr":
            rng = random.Random(f"{seed}/arxiv/{pub.index}")
            while not self._key_free(key := f"journals/corr/abs-{pub.arxiv.replace('.', '-')}"):
                pub.arxiv = arxiv_id(pub.year, rng)
            pub.doi = f"10.48550/arXiv.{pub.arxiv}"
            pub.key = key
            return
        surnames = [key_letters(self.people.parts(a)[1]) for a in pub.authors[:9]]
        stem = f"{pub.venue.stream}/{surnames[0]}{''.join(s[0] for s in surnames[1:])}" \
               f"{pub.year % 100:02d}"
        for suffix in ("", *"abcdefghijklmnopqrstuvwxyz"):
            if self._key_free(stem + suffix):
                pub.key = stem + suffix
                return
        n = 1
        while not self._key_free(f"{stem}-{n}"):
            n += 1
        pub.key = f"{stem}-{n}"

    def write(self, pub: Pub) -> None:
        """The publication's triples, then those of its persons not written before."""
        rec = f"<{pub.iri}>"
        v = pub.venue
        lines = [f"{rec} {RDF_TYPE} {D['Publication']} .\n",
                 f"{rec} {RDF_TYPE} {D[TYPE_OF_KIND[v.kind]]} .\n",
                 f"{rec} {D['title']} {literal(dblp_title(pub.title))} .\n",
                 f'{rec} {D["yearOfPublication"]} "{pub.year}"^^{GYEAR} .\n']
        if pub.doi:
            lines.append(f"{rec} {D['doi']} <https://doi.org/{pub.doi}> .\n")
        lines += [f"{rec} {D['publishedIn']} {literal(v.published_in(pub.year))} .\n",
                  f"{rec} {D['publishedInStream']} <https://dblp.org/streams/{v.stream}> .\n",
                  f'{rec} {D["numberOfCreators"]} "{len(pub.authors)}"^^{INTEGER} .\n']
        if pub.wikidata:
            lines.append(f"{rec} {D['wikidata']} <http://www.wikidata.org/entity/{pub.wikidata}> .\n")
        self.triples += len(lines) + 7 * len(pub.authors)
        for ordinal, person in enumerate(pub.authors, start=1):
            lines.append(self._signature(rec, ordinal, person))
        for person in pub.authors:
            if not self.emitted[person]:
                self.emitted[person] = 1
                lines += self._person(person)
        self.buffer += lines
        if len(self.buffer) >= 5000:
            self.flush()

    def _signature(self, rec: str, ordinal: int, person: int) -> str:
        """The seven triples of one author signature (a blank node)."""
        self.blank += 1
        b = f"_:b{self.blank}"
        pid, name = self._terms(person)
        return (f"{rec} {D['hasSignature']} {b} .\n"
                f"{b} {RDF_TYPE} {D['AuthorSignature']} .\n"
                f'{b} {D["signatureOrdinal"]} "{ordinal}"^^{INTEGER} .\n'
                f"{b} {D['signatureDblpName']} {name} .\n"
                f"{b} {D['signatureCreator']} {pid} .\n"
                f"{b} {D['signaturePublication']} {rec} .\n"
                f"{rec} {D['authoredBy']} {pid} .\n")

    def _make_terms(self, person: int) -> tuple[str, str]:
        """(pid IRI, dblp name literal) of a person, as N-Triples terms."""
        return f"<{PID}{self.people.pid(person)}>", literal(self.people.dblp_name(person))

    def _person(self, person: int) -> list[str]:
        self.persons += 1
        pid, name = self._terms(person)
        lines = [f"{pid} {RDF_TYPE} {D['Person']} .\n",
                 f"{pid} {D['primaryCreatorName']} {name} .\n"]
        if oid := self.people.orcid(person):
            lines.append(f"{pid} {D['orcid']} <https://orcid.org/{oid}> .\n")
        if qid := self.people.wikidata(person):
            lines.append(f"{pid} {D['wikidata']} <http://www.wikidata.org/entity/{qid}> .\n")
        self.triples += len(lines)
        return lines

    def _compress(self) -> None:
        """Write queued chunks until None; after an error, keep draining so nobody blocks."""
        while (chunk := self.chunks.get()) is not None:
            if self.error is None:
                try:
                    self.gz.write(chunk)
                except BaseException as e:  # re-raised by close()
                    self.error = e

    def flush(self) -> None:
        self.chunks.put("".join(self.buffer).encode("utf-8"))
        self.buffer.clear()

    def close(self) -> None:
        self.flush()
        self.chunks.put(None)
        self.compressor.join()
        self.gz.close()
        self.raw.close()
        self.keys.clear()
        if self.error is not None:
            raise self.error


@cache
def key_letters(surname: str) -> str:
    """The surname as it appears in a dblp key: ASCII letters of its last word."""
    word = strip_diacritics(surname).split()[-1]
    return re.sub(r"[^A-Za-z]", "", word).capitalize() or "X"


def dblp_title(title: str) -> str:
    """dblp ends titles with a period, unless they end with ? ! or a period already."""
    return title if title.endswith(("?", "!", ".")) else title + "."


# ---- title perturbations -----------------------------------------------------------------------

def perturb_subtitle(title: str, rng: random.Random) -> str | None:
    """Drop the part after the colon, when at least four words remain."""
    head, sep, _ = title.partition(": ")
    return head if sep and len(head.split()) >= 4 else None


def perturb_stopwords(title: str, rng: random.Random) -> str | None:
    """Drop a leading "A"/"An"/"The"/"On", or add one."""
    first, _, rest = title.partition(" ")
    if first in ("A", "An", "The", "On") and rest:
        return rest[0].upper() + rest[1:]
    article = "The" if title[0] in "AEIOUaeiou" else rng.choice(("A", "The", "On"))
    return f"{article} {title}"


def perturb_typo(title: str, rng: random.Random) -> str | None:
    """British/American spelling swap when possible, else a one-letter typo."""
    words = title.split(" ")
    spelled = [i for i, w in enumerate(words) if w in SPELLING_SWAPS]
    if spelled and rng.random() < 0.6:
        i = rng.choice(spelled)
        words[i] = SPELLING_SWAPS[words[i]]
        return " ".join(words)
    candidates = list(_TYPO_WORD.finditer(title))
    if not candidates:
        return None
    m = rng.choice(candidates)
    w = m.group()
    j = rng.randrange(1, len(w) - 1)
    op = rng.choice(("swap", "drop", "double"))
    if op == "swap" and w[j] != w[j + 1]:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    elif op == "drop":
        w = w[:j] + w[j + 1:]
    else:  # "double", or a swap of two equal letters
        w = w[:j] + w[j] + w[j:]
    return title[:m.start()] + w + title[m.end():]


def perturb_punct(title: str, rng: random.Random) -> str | None:
    """Hyphens to spaces, colon variants, quotes around a term, stray spaces."""
    options = ["quote"]
    if re.search(r"[A-Za-z]-[A-Za-z]", title):
        options += ["hyphen", "hyphen"]
    if ":" in title:
        options += ["colon", "colon"]
    op = rng.choice(options)
    if op == "hyphen":
        return re.sub(r"(?<=[A-Za-z])-(?=[A-Za-z])", rng.choice((" ", "")), title)
    if op == "colon":
        return title.replace(": ", rng.choice((" - ", " -- ", ". ", " : ", " ")), 1)
    words = title.split(" ")
    i = rng.randrange(len(words))
    word = words[i].rstrip("?")
    open_q, close_q = rng.choice((('"', '"'), ("“", "”"), ("'", "'")))
    words[i] = words[i].replace(word, f"{open_q}{word}{close_q}") if word else words[i]
    return "  ".join(words) if rng.random() < 0.3 else " ".join(words)


def perturb_case(title: str, rng: random.Random) -> str | None:
    """Lower case, sentence case, upper case or capitalised words."""
    variants = [title.lower(), title.upper(), title[0] + title[1:].lower(),
                " ".join(w[:1].upper() + w[1:].lower() for w in title.split(" "))]
    variants = [v for v in variants if v != title]
    return rng.choice(variants) if variants else None


def perturb_latex(title: str, rng: random.Random) -> str | None:
    """BibTeX-style markup: {\\"o} for ö, $\\alpha$ for α, braces around acronyms."""
    out = title
    for ch, tex in LATEX_GREEK.items():
        out = out.replace(ch, f"${{\\{tex}}}$" if rng.random() < 0.3 else f"$\\{tex}$")
    for ch, tex in LATEX_ACCENTS.items():
        out = out.replace(ch, tex)
    if out == title or rng.random() < 0.5:
        out = _ACRONYM.sub(lambda m: "{" + m.group() + "}", out)
    return out if out != title else None


TITLE_FUNCTIONS = {"title-subtitle": perturb_subtitle, "title-stopwords": perturb_stopwords,
                   "title-typo": perturb_typo, "title-punct": perturb_punct,
                   "title-case": perturb_case, "title-latex": perturb_latex}
TITLE_WEIGHTS = {"title-subtitle": 5, "title-stopwords": 1, "title-typo": 1, "title-punct": 1,
                 "title-case": 1, "title-latex": 1.3}


# ---- name perturbations ------------------------------------------------------------------------

def initials(given: str, surname: str, dotted: bool) -> str:
    """"A. Zhou", "J.-H. Kim", "M. I. Jordan"; undotted "A Zhou", "JH Kim", "MI Jordan"."""
    words = [w.rstrip(".").split("-") for w in given.split(" ")]
    if dotted:
        return " ".join("-".join(q[0] + "." for q in w) for w in words) + " " + surname
    return "".join(q[0] for w in words for q in w) + " " + surname


def add_or_drop_diacritics(name: str) -> str:
    """Drop diacritics when there are some, else add them to words that have an accented twin."""
    stripped = strip_diacritics(name)
    if stripped != name:
        return stripped
    return " ".join(ADD_DIACRITICS.get(w, w) for w in name.split(" "))


def has_diacritic_variant(given: str, surname: str) -> bool:
    name = f"{given} {surname}"
    return add_or_drop_diacritics(name) != name


@dataclass
class NameStyle:
    """How a local record prints its authors."""

    numbers: bool = False  # keep dblp homonym numbers (a dblp-derived record)
    initials: set[int] = field(default_factory=set)  # positions printed as initials
    dotted: bool = True
    last_first: set[int] = field(default_factory=set)
    diacritics: set[int] = field(default_factory=set)


def print_name(people: People, person: int, position: int, style: NameStyle
               ) -> tuple[str, int]:
    """(printed name, name category bits) of one author of a local record."""
    given, surname, number = people.parts(person)
    bits = NAME_BIT["homonym"] if number else 0
    if position in style.diacritics:
        given, surname = (add_or_drop_diacritics(x) for x in (given, surname))
        bits |= NAME_BIT["diacritics"]
    if position in style.initials:
        return initials(given, surname, style.dotted), bits | NAME_BIT["initials"]
    if position in style.last_first:
        return f"{surname}, {given}", bits | NAME_BIT["last-first"]
    if style.numbers and number:
        return f"{given} {surname} {number}", bits | NAME_BIT["exact"]
    if number:
        return f"{given} {surname}", bits | NAME_BIT["no-number"]
    return f"{given} {surname}", bits | (0 if bits & NAME_BIT["diacritics"] else NAME_BIT["exact"])


# ---- local records -----------------------------------------------------------------------------

@dataclass
class Local:
    """One local record with its truth."""

    record: dict
    external: str  # dblp record IRI or ""
    categories: set[str]
    authors: list[tuple[str, int, int]]  # (printed name, person, name category bits)


class Localiser:
    """Turns a publication into a local record, applying perturbations with these rates."""

    P_DOI, P_DBLP, P_ARXIV = 0.15, 0.08, 0.45
    P_TITLE, P_SECOND_TITLE = 0.55, 0.12
    P_YEAR, P_TRUNCATE, P_REORDER = 0.05, 0.75, 0.05
    P_DBLP_STYLE, P_INITIALS, P_LAST_FIRST, P_DIACRITICS = 0.3, 0.12, 0.09, 0.6

    def __init__(self, people: People, seed: int):
        self.people = people
        self.seed = seed

    def copy(self, pub: Pub, trap: str | None) -> Local:
        """A perturbed local copy of an external publication."""
        rng = random.Random(f"{self.seed}/local/{pub.index}")
        cats = {trap} if trap else set()
        rec = self._base(pub, rng)
        self._ids(pub, rec, cats, rng)
        rec["title"] = self._title(pub.title, cats, rng)
        if rng.random() < self.P_YEAR:
            rec["year"] = pub.year + (1 if pub.year == YEARS[0] or rng.random() < 0.5 else -1)
            cats.add("year-off")
        persons = list(pub.authors)
        if len(persons) > 8 and rng.random() < self.P_TRUNCATE:
            persons = persons[:8]
            rec["authors_complete"] = False
            cats.add("truncated")
        if len(persons) > 1 and rng.random() < self.P_REORDER:
            a, b = rng.sample(range(len(persons)), 2)
            persons[a], persons[b] = persons[b], persons[a]
            cats.add("reordered")
        dblp_like = "id-dblp" in cats and rng.random() < 0.8
        style = self._style(persons, rng, dblp_like or rng.random() < self.P_DBLP_STYLE)
        authors = self._authors(rec, persons, style, cats)
        return Local(_ordered(rec), pub.iri, cats, authors)

    def absent(self, pub: Pub, trap: str | None) -> Local:
        """A local record of a publication that is not in the external graph."""
        rng = random.Random(f"{self.seed}/local/{pub.index}")
        cats = {"no-counterpart"} | ({trap} if trap else set())
        rec = self._base(pub, rng)
        if pub.doi and not pub.arxiv and rng.random() < 0.3:
            rec["doi"] = pub.doi
        authors = self._authors(rec, pub.authors, self._style(pub.authors, rng, False), cats)
        return Local(_ordered(rec), "", cats, authors)

    @staticmethod
    def _base(pub: Pub, rng: random.Random) -> dict:
        v = pub.venue
        work_type, kind = {"conf": ("conference-paper", "conference"),
                           "journal": ("journal-article", "journal"),
                           "corr": ("preprint", "repository")}[v.kind]
        name = rng.choice(v.local_names)
        if v.short == "NeurIPS" and pub.year <= 2017 and name == "NeurIPS":
            name = "NIPS"
        return {"title": pub.title, "year": pub.year, "work_type": work_type,
                "venue": {"name": name, "kind": kind}}

    def _ids(self, pub: Pub, rec: dict, cats: set[str], rng: random.Random) -> None:
        if pub.doi and rng.random() < self.P_DOI:
            rec["doi"] = rng.choice((pub.doi, pub.doi.upper(), "https://doi.org/" + pub.doi))
            cats.add("id-doi")
        if rng.random() < self.P_DBLP:
            rec["dblp"] = rng.choice((pub.key, pub.key, REC + pub.key))
            cats.add("id-dblp")
        if pub.arxiv and rng.random() < self.P_ARXIV:
            rec["arxiv"] = rng.choice((pub.arxiv, f"arXiv:{pub.arxiv}v{rng.randint(1, 3)}",
                                       f"https://arxiv.org/abs/{pub.arxiv}"))
            cats.add("id-arxiv")

    def _title(self, title: str, cats: set[str], rng: random.Random) -> str:
        """Apply zero, one or two title perturbations (in a fixed order)."""
        if rng.random() >= self.P_TITLE:
            return title
        eligible = [k for k in TITLE_PERTURBATIONS if TITLE_FUNCTIONS[k](title, random.Random(0))]
        if not eligible:
            return title
        count = 2 if rng.random() < self.P_SECOND_TITLE and len(eligible) > 1 else 1
        chosen = set()
        while len(chosen) < count:
            chosen.add(rng.choices(eligible, weights=[TITLE_WEIGHTS[k] for k in eligible])[0])
        for kind in TITLE_PERTURBATIONS:
            if kind in chosen:
                changed = TITLE_FUNCTIONS[kind](title, rng)
                if changed and changed != title:
                    title = changed
                    cats.add(kind)
        return title

    def _style(self, persons: list[int], rng: random.Random, dblp_like: bool) -> NameStyle:
        if dblp_like:
            return NameStyle(numbers=True)
        style = NameStyle()
        positions = range(len(persons))
        if rng.random() < self.P_DIACRITICS:
            style.diacritics = {i for i in positions
                                if has_diacritic_variant(*self.people.parts(persons[i])[:2])}
        roll = rng.random()
        if roll < self.P_INITIALS:
            style.initials = self._some(positions, rng)
            style.dotted = rng.random() < 0.65
        elif roll < self.P_INITIALS + self.P_LAST_FIRST:
            style.last_first = self._some(positions, rng)
        return style

    @staticmethod
    def _some(positions: range, rng: random.Random) -> set[int]:
        """All positions (mostly), or a random non-empty part of them."""
        if rng.random() < 0.6:
            return set(positions)
        return set(rng.sample(positions, rng.randint(1, len(positions))))

    def _authors(self, rec: dict, persons: list[int], style: NameStyle, cats: set[str]
                 ) -> list[tuple[str, int, int]]:
        authors = []
        every = 0
        for position, person in enumerate(persons):
            name, bits = print_name(self.people, person, position, style)
            authors.append((name, person, bits))
            every |= bits
        rec["authors"] = [name for name, _, _ in authors]
        for cat in ("initials", "last-first", "diacritics", "homonym"):
            if every & NAME_BIT[cat]:
                cats.add(cat)
        return authors


def _ordered(rec: dict) -> dict:
    """The record's keys in the order of docs/records.md."""
    order = ("title", "year", "work_type", "venue", "authors", "authors_complete", "doi",
             "arxiv", "dblp")
    return {k: rec[k] for k in order if k in rec}


# ---- plan --------------------------------------------------------------------------------------

@dataclass
class Plan:
    """Which external publications get a local copy (and as which trap), and which local-only
    publications are inserted after which external index."""

    copies: dict[int, str | None]  # external index -> trap category or None
    absent_at: dict[int, list[tuple[int, str | None]]]  # external index -> [(index, trap)]
    lines: list[int]  # generation order -> 1-based line number


def make_plan(world: World, local: int, external: int, seed: int) -> Plan:
    """Choose the hard-case structures (sizes in proportion to --local) and the copies."""
    rng = random.Random(f"{seed}/plan")
    n = {k: round(share * local) for k, share in (
        ("trap", 0.045), ("trap-absent", 0.025), ("same", 0.035), ("generic", 0.035),
        ("generic-absent", 0.005), ("absent", 0.10))}
    generic_external = round(2.5 * (n["generic"] + n["generic-absent"]))
    special = 2 * n["trap"] + n["trap-absent"] + 2 * n["same"] + generic_external
    regular = local - n["absent"] - n["trap"] - n["same"] - n["generic"]
    if special + regular > external or local < 20:
        sys.exit(f"--external must be at least {special + regular} for --local {local} "
                 "(and --local at least 20)")
    picked = iter(rng.sample(range(external), special + regular))
    copies: dict[int, str | None] = {}
    for _ in range(n["trap"]):
        base, twin = next(picked), next(picked)
        world.plan[base], world.plan[twin] = ("trap-base", twin), ("trap-twin", base)
        copies[base] = "near-title-trap"
    for _ in range(n["same"]):
        a, b = next(picked), next(picked)
        world.plan[a], world.plan[b] = ("same-a", b), ("same-b", a)
        copies[a] = "same-title-different-paper"
    generics = [next(picked) for _ in range(generic_external)]
    for g in generics:
        world.plan[g] = ("generic", -1)
    for g in rng.sample(generics, n["generic"]):
        copies[g] = "generic-title"
    trap_bases = [next(picked) for _ in range(n["trap-absent"])]
    for _ in range(regular):
        copies[next(picked)] = None
    absent_at: dict[int, list[tuple[int, str | None]]] = {}
    for k in range(n["absent"]):
        index = external + k
        trap = None
        if k < len(trap_bases):
            world.plan[trap_bases[k]] = ("trap-base", index)
            world.plan[index] = ("trap-twin", trap_bases[k])
            trap = "near-title-trap"
        elif k < len(trap_bases) + n["generic-absent"]:
            world.plan[index] = ("generic", -1)
            trap = "generic-title"
        absent_at.setdefault(rng.randrange(external), []).append((index, trap))
    lines = list(range(1, local + 1))
    rng.shuffle(lines)
    return Plan(copies, absent_at, lines)


# ---- truth -------------------------------------------------------------------------------------

class PersonTruth:
    """Per local printed name (by scholkg's person key): the first spelling in file order, the
    one person it denotes (or -1 when several) and its name categories."""

    def __init__(self):
        # key -> [where first (line * 16 + position), spelling, person, bits]
        self.names: dict[str, list] = {}

    def add(self, line: int, authors: list[tuple[str, int, int]]) -> None:
        for position, (name, person, bits) in enumerate(authors):
            key = person_key(name)
            where = line * 16 + position
            entry = self.names.get(key)
            if entry is None:
                self.names[key] = [where, name, person, bits]
                continue
            if where < entry[0]:
                entry[0], entry[1] = where, name
            if entry[2] != person:
                entry[2] = -1
            entry[3] |= bits

    def rows(self, people: People, emitted: bytearray) -> Iterator[tuple[str, str, str]]:
        """(first spelling, pid IRI or "", categories) in order of first occurrence."""
        for _, name, person, bits in sorted(self.names.values(), key=lambda e: e[0]):
            if person < 0:
                bits |= NAME_BIT["ambiguous"]
            elif not emitted[person]:
                bits |= NAME_BIT["absent"]
            iri = PID + people.pid(person) if person >= 0 and emitted[person] else ""
            yield name, iri, ";".join(c for c in NAME_CATEGORIES if bits & NAME_BIT[c])


# ---- driver ------------------------------------------------------------------------------------

@dataclass
class Result:
    """What a run produced, for the summary and the README."""

    works_external: int = 0
    works_local: int = 0
    with_counterpart: int = 0
    triples: int = 0
    persons_external: int = 0
    names_local: int = 0
    names_linked: int = 0
    categories: Counter = field(default_factory=Counter)
    name_categories: Counter = field(default_factory=Counter)
    absent_sharing_authors: int = 0
    title_collisions: int = 0


def generate(local: int, external: int, seed: int, out: Path) -> Result:
    """Write the benchmark into ``out`` and return its counts."""
    out.mkdir(parents=True, exist_ok=True)
    people = People(max(100, external * 4 // 5), max(10, local // 3), seed)
    world = World(people, seed, external)
    plan = make_plan(world, local, external, seed)
    localiser = Localiser(people, seed)
    writer = ExternalWriter(out / "external.nt.gz", people)
    rows: list[tuple[str, str, str] | None] = [None] * local
    truth = PersonTruth()
    absent_authors: list[list[int]] = []
    made = 0

    def emit(item: Local) -> None:
        nonlocal made
        line = plan.lines[made]
        made += 1
        rows[line - 1] = (json.dumps(item.record, ensure_ascii=False), item.external,
                          ";".join(c for c in WORK_CATEGORIES if c in item.categories))
        truth.add(line, item.authors)

    for i in range(external):
        pub = world.make(i)
        writer.assign_key(pub, seed)
        writer.write(pub)
        if i in plan.copies:
            emit(localiser.copy(pub, plan.copies[i]))
        for index, trap in plan.absent_at.get(i, ()):
            pub = world.make(index)
            absent_authors.append(pub.authors)
            emit(localiser.absent(pub, trap))
    writer.close()
    result = Result(works_external=external, works_local=local, triples=writer.triples,
                    persons_external=writer.persons)
    _write_local(out, rows, result)
    _write_csv(out / "truth_persons.csv", ("local_name", "external", "categories"),
               _count_names(truth.rows(people, writer.emitted), result))
    result.absent_sharing_authors = sum(any(writer.emitted[a] for a in authors)
                                        for authors in absent_authors)
    return result


def _count_names(rows: Iterable[tuple[str, str, str]], result: Result
                 ) -> Iterator[tuple[str, str, str]]:
    """The rows of truth_persons.csv, counted into the result as they pass."""
    for row in rows:
        result.names_local += 1
        result.names_linked += bool(row[1])
        result.name_categories.update(row[2].split(";") if row[2] else ())
        yield row


def _write_local(out: Path, rows: list, result: Result) -> None:
    """local.jsonl and truth_works.csv, in line order; counts categories and title clashes."""
    seen: set[str] = set()
    truth_rows = []
    with open(out / "local.jsonl", "w", encoding="utf-8", newline="\n") as f:
        for line, (text, iri, cats) in enumerate(rows, start=1):
            f.write(text + "\n")
            truth_rows.append((line, iri, cats))
            result.categories.update(cats.split(";") if cats else ())
            result.with_counterpart += bool(iri)
            rec = json.loads(text)
            if "generic-title" not in cats.split(";"):
                key = f"{title_key(rec['title'])}|{rec['year']}"
                result.title_collisions += key in seen
                seen.add(key)
    _write_csv(out / "truth_works.csv", ("line", "external", "categories"), truth_rows)


def _write_csv(path: Path, header: tuple[str, ...], rows: Iterable) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


CATEGORY_HELP = {
    "id-doi": "carries the DOI of its match (as is, upper-cased or as a doi.org URL)",
    "id-dblp": "carries the dblp key of its match (or its dblp.org/rec URL)",
    "id-arxiv": "carries the arXiv id of its CoRR match (bare, arXiv:…vN or URL)",
    "title-case": "title in lower, upper, sentence or capitalised-word case",
    "title-punct": "hyphens, colons, quotes or spacing changed",
    "title-latex": "BibTeX markup: {\\\"o}, $\\alpha$, {BERT}",
    "title-stopwords": "leading A/An/The/On dropped or added",
    "title-typo": "one-letter typo, or British/American spelling swapped",
    "title-subtitle": "the part after the colon dropped",
    "year-off": "year one off",
    "truncated": "external has more than 8 authors; local keeps the first 8, "
                 "`authors_complete: false`",
    "initials": "some or all authors as initials (\"A. Zhou\", \"A Zhou\", \"J.-H. Kim\")",
    "last-first": "some or all authors as \"Zhou, Aojun\"",
    "diacritics": "diacritics dropped (Müller → Muller) or added (Jose → José)",
    "homonym": "an author belongs to a dblp homonym group; printed with its number in "
               "dblp-derived records, without it otherwise",
    "reordered": "two authors swapped",
    "near-title-trap": "external also has a different paper whose title differs by one "
                       "significant token (2D/3D, GPT-3/GPT-4, Part I/II, with/without, …); "
                       "with no-counterpart: only that other paper is in external",
    "generic-title": "Editorial/Introduction/Preface/… (external has many such works)",
    "same-title-different-paper": "external also has a paper with the same title and year "
                                  "by other authors",
    "no-counterpart": "not in external: the right answer is no link",
}
NAME_HELP = {
    "exact": "printed as the dblp name (with its homonym number if any)",
    "no-number": "a homonym printed without its number",
    "initials": "printed with initials", "last-first": "printed as \"Surname, Given\"",
    "diacritics": "diacritics dropped or added", "homonym": "a dblp homonym group's name",
    "ambiguous": "the printed name stands for several persons: no truth",
    "absent": "the one person it stands for is not in external: no truth",
}


def readme(result: Result, command: str) -> str:
    """bench/linkeval/README.md."""
    cats = "\n".join(f"| `{c}` | {result.categories[c]} | {CATEGORY_HELP[c]} |"
                     for c in WORK_CATEGORIES)
    names = "\n".join(f"| `{c}` | {result.name_categories[c]} | {NAME_HELP[c]} |"
                      for c in NAME_CATEGORIES)
    distractors = result.works_external - result.with_counterpart
    no_counterpart = result.works_local - result.with_counterpart
    return f"""# Linking benchmark (generated)

Written by `bench/linkgen.py`; do not edit by hand. Regenerate with

```sh
{command}
```

(deterministic: the same arguments give the same bytes).

- `local.jsonl`: {result.works_local} local works in scholkg's record format
  (docs/records.md); import with `scholkg import local.jsonl`.
- `external.nt.gz`: the external graph in dblp's RDF shape, gzip N-Triples:
  {result.works_external} publications, {result.persons_external} persons,
  {result.triples} triples.
- `truth_works.csv`: `line,external,categories`: per line of `local.jsonl` (1-based), the dblp
  record IRI it is (empty: no counterpart) and the hard-case categories applied (`;`).
- `truth_persons.csv`: `local_name,external,categories`: per distinct printed author name, the
  dblp pid IRI it denotes (or empty) and its name categories.

## How it is made

- **External**: {result.works_external} publications at real venues (ICLR, NeurIPS, ICML, CVPR,
  ICCV, ECCV, AAAI, IJCAI, ACL, EMNLP, KDD, WWW, SIGIR, TPAMI, JMLR, TMLR, a few other
  journals, CoRR), 2010-2025, 1-15 authors, titles from ML/CS vocabulary (many share words).
  Persons are drawn Zipf-like (a few on many works), co-authors mostly from one "lab"; names
  are Chinese (half), European (with diacritics), Indian and Korean; every name held by
  several persons gets dblp homonym numbers, and a few names ("Lei Wang", "Wei Zhang", ...)
  are given to many persons on purpose. ~60% of publications have a DOI, ~20% a Wikidata
  item; ~25% of persons an ORCID iD (valid check digit), ~10% a Wikidata item.
- **Local**: {result.with_counterpart} perturbed copies of external publications (each
  external publication copied at most once) and {no_counterpart} works without counterpart
  (some with a DOI of their own; some mostly by "newcomers" who are not in external; some
  near-identical to an external title or generic). The other {distractors} external
  publications are distractors. Records in the style of a dblp export keep homonym numbers
  ("Lei Wang 0185"); the others print names without them. Local author lists follow the
  external order except in `reordered` works.
- {result.absent_sharing_authors} of the no-counterpart works share an author with external
  works. Local works with the same title and year other than generic titles (which scholkg
  would merge into one work): {result.title_collisions}.

## External graph

Per publication `<https://dblp.org/rec/KEY>` (keys as dblp makes them, e.g.
`conf/iclr/ZhouMZ21`, `journals/pami/WangL22`, `journals/corr/abs-2102-04010`): `rdf:type
dblp:Publication` and `dblp:Inproceedings`, `dblp:Article` or `dblp:Informal` (CoRR);
`dblp:title` (ending in a period, `?` kept), `dblp:yearOfPublication` (xsd:gYear), `dblp:doi`,
`dblp:publishedIn`, `dblp:publishedInStream`, `dblp:numberOfCreators`, `dblp:wikidata`; per
author a blank-node `dblp:AuthorSignature` (ordinal, dblp name, creator, publication) and
`dblp:authoredBy`. Per person `<https://dblp.org/pid/…>`: `rdf:type dblp:Person`,
`dblp:primaryCreatorName`, `dblp:orcid`, `dblp:wikidata`, written after the person's first
publication. Persons sharing a name are numbered ("Lei Wang 0185") and share a pid stem
(`…/1234-185`).

## Work categories

A local work can have several; counts are of local works.

| category | works | meaning |
|---|---:|---|
{cats}

## Persons

`external` is the pid IRI of a dblp person **if and only if every local occurrence of that
printed name is that same external person and the person is in external**; otherwise empty.
Printed names are compared as scholkg identifies local persons: Unicode (NFKC), case and
whitespace folded, homonym number kept; the row shows the first spelling in file order. Rows are
in order of first occurrence. {result.names_local} names, {result.names_linked} with a person. A
name's categories are the union over its occurrences.

| category | names | meaning |
|---|---:|---|
{names}
"""


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--local", type=int, required=True, help="number of local records")
    ap.add_argument("--external", type=int, required=True, help="number of external works")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--out", type=Path, required=True, help="output folder")
    a = ap.parse_args(argv)
    if a.external + a.local >= 10_000_000:
        sys.exit("--external + --local must stay below 10,000,000")
    start = time.perf_counter()
    result = generate(a.local, a.external, a.seed, a.out)
    seconds = time.perf_counter() - start
    command = (f"python bench/linkgen.py --local {a.local} --external {a.external} "
               f"--seed {a.seed} --out {a.out}")
    (a.out / "README.md").write_text(readme(result, command), encoding="utf-8")
    print(summary(result, seconds))


def summary(result: Result, seconds: float) -> str:
    lines = [f"external: {result.works_external} works, {result.persons_external} persons, "
             f"{result.triples} triples",
             f"local: {result.works_local} works ({result.with_counterpart} with a counterpart), "
             f"{result.names_local} printed names ({result.names_linked} with a person)",
             f"no-counterpart works sharing an author with external: "
             f"{result.absent_sharing_authors}; local title+year clashes: "
             f"{result.title_collisions}",
             "work categories:"]
    lines += [f"  {c:28} {result.categories[c]}" for c in WORK_CATEGORIES]
    lines.append("name categories:")
    lines += [f"  {c:28} {result.name_categories[c]}" for c in NAME_CATEGORIES]
    lines.append(f"{seconds:.1f} s")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
