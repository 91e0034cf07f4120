// The skills check: the last arithmetic of the Python engine, in the browser.
//
// Each scoring function below mirrors one in src/cgtpaths (named in its comment), fed by what
// `cgtpaths site build` exported from the engine (site/export.py): every role's score terms with
// their weights and core flags, its levels and gates, the short programmes that could close each
// essential gap, each background's profile, the regions and the tuning. tests/test_site.py runs this page and `cgtpaths match --json` on random profiles and
// fails on any difference in order, band or direct move.
//
// Nothing typed leaves the page: the answers live in the address (so a result can be bookmarked
// or printed) and are read only by this script. No cookies, no storage, no requests.
"use strict";

(function () {
  var DATA = window.CGTPATHS_CHECK;

  // ---- the engine's functions ------------------------------------------------------------------

  var T = DATA.tuning;

  // profile.build: a background's skills merged with the ones given (the highest level of each
  // wins); the level given, else the background's typical level; its situation, rights, evidence.
  function buildProfile(state) {
    var skills = {};
    var level = null, situation = null, rights = [], evidence = [];
    if (state.from) {
      var bg = DATA.backgrounds[state.from];
      Object.keys(bg.skills).forEach(function (sid) { mergeSkill(skills, sid, bg.skills[sid]); });
      level = bg.level;
      situation = bg.situation;
      rights = bg.rights;
      evidence = bg.evidence;
    }
    state.skills.forEach(function (pair) { mergeSkill(skills, pair[0], pair[1]); });
    if (state.level !== null) level = state.level;
    return { skills: skills, level: level, region: state.region, situation: situation, rights: rights, evidence: evidence };
  }

  // profile.merge_skill
  function mergeSkill(skills, sid, level) {
    if (level > (skills[sid] || 0)) skills[sid] = level;
  }

  // Profile.stage_level: the level a student's stage leads to, else the level held
  function stageLevel(profile) {
    var stage = Object.prototype.hasOwnProperty.call(T.stage_level, profile.situation || "") ? T.stage_level[profile.situation] : null;
    if (stage === null || profile.level === null) return stage === null ? profile.level : stage;
    return Math.max(profile.level, stage);
  }

  // match.effective_level: the profile's level, or partial credit from an explicit related skill
  function effectiveLevel(profile, sid) {
    var have = profile.skills[sid] || 0;
    var related = DATA.skills[sid].related;
    for (var i = 0; i < related.length; i++) {
      var credited = related[i][1] * (profile.skills[related[i][0]] || 0);
      if (credited > have) have = credited;
    }
    return have;
  }

  // match.credited: every skill's effective level, where it is above 0
  function credited(profile) {
    var levels = {};
    Object.keys(DATA.skills).forEach(function (sid) {
      var have = effectiveLevel(profile, sid);
      if (have > 0) levels[sid] = have;
    });
    return levels;
  }

  // match.exact_score: the terms added in role_needs' order, so the float is Python's
  function exactScore(terms, levels) {
    var total = 0, weightSum = 0;
    for (var i = 0; i < terms.length; i++) {
      var skill = terms[i][0], level = terms[i][1], weight = terms[i][2];
      total += weight * (Math.min(levels[skill] || 0, level) / level);
      weightSum += weight;
    }
    return weightSum ? total / weightSum : 0;
  }

  // match.rank_key's core share: the mean of min(have, need) / need over the role's core skills
  function coreShare(terms, levels) {
    var sum = 0, n = 0;
    for (var i = 0; i < terms.length; i++) {
      if (!terms[i][3]) continue;
      sum += Math.min(levels[terms[i][0]] || 0, terms[i][1]) / terms[i][1];
      n += 1;
    }
    return n ? round4(sum / n) : 1.0;
  }

  // Python's round(x, 4): the nearest 4-place decimal, an exact tie to the even one. toFixed
  // rounds an exact tie up; in [0, 1] a tie is exactly an odd multiple of 1/32 (x * 32 is exact).
  function round4(x) {
    var thirtySeconds = x * 32;
    if (Number.isInteger(thirtySeconds) && thirtySeconds % 2 === 1) {
      var below = Math.floor(x * 10000);
      return (below % 2 === 0 ? below : below + 1) / 10000;
    }
    return Number(x.toFixed(4));
  }

  // tuning.band
  function band(score) {
    for (var i = 0; i < DATA.bands.length; i++) {
      if (score >= DATA.bands[i][1]) return DATA.bands[i][0];
    }
    return DATA.bands[DATA.bands.length - 1][0];
  }

  function bandIndex(name) {
    for (var i = 0; i < DATA.bands.length; i++) if (DATA.bands[i][0] === name) return i;
    return DATA.bands.length - 1;
  }

  // match._level_fit
  function levelFit(profile, role) {
    var stage = stageLevel(profile);
    if (stage === null) return "fits";
    if (role.entry_level > stage + T.max_level_jump) return "above";
    if (profile.level !== null && role.usual_level < profile.level - T.max_level_drop) return "below";
    return "fits";
  }

  // match.band_for: the score's band, capped by the core share and for a role far above
  function bandFor(score, share, fit) {
    var byScore = bandIndex(band(score));
    var byCore = DATA.bands.length - 1;
    for (var i = 0; i < DATA.bands.length; i++) {
      if (share >= T.band_core_floor[DATA.bands[i][0]]) { byCore = i; break; }
    }
    var cap = fit === "above" ? bandIndex(T.far_above_band_cap) : 0;
    return DATA.bands[Math.max(byScore, byCore, cap)][0];
  }

  // match.gate_met: only evidence the person has meets a gate
  function gateMet(profile, gate) {
    if (gate.evidence && profile.evidence.indexOf(gate.evidence) >= 0) return true;
    if (gate.kind === "employment") return true;
    if (gate.kind === "qualification" && gate.min_level) {
      if (profile.level === null || profile.level < gate.min_level) return false;
      return !gate.min_months || profile.evidence.indexOf("four-year-degree") >= 0;
    }
    return false;
  }

  // match.blockers is empty
  function noBlockers(profile, role) {
    if (profile.level === null) {
      if (role.entry_level > 1) return false;
    } else if (role.entry_level > profile.level + T.max_level_jump) {
      return false;
    }
    for (var i = 0; i < role.gates.length; i++) if (!gateMet(profile, role.gates[i])) return false;
    var experienceGate = role.gates.some(function (g) { return g.kind === "experience"; });
    return !(role.experience_months && !experienceGate);
  }

  // catalogue.serves
  function serves(mode, regions, rid) {
    if (mode === "online") return true;
    var wanted = DATA.region_chains[rid] || [rid];
    for (var i = 0; i < regions.length; i++) {
      var offered = regions[i];
      if (offered === "uk" || wanted.indexOf(offered) >= 0) return true;
      if ((DATA.region_chains[offered] || [offered]).indexOf(rid) >= 0) return true;
    }
    return false;
  }

  // match._verdict's enterable: level, place, who may start it, and not closed
  function enterable(profile, prog) {
    if (profile.level !== null) {
      if (prog.entry_level > profile.level) return false;
      if (prog.level !== null && prog.level - profile.level > T.max_programme_level_jump) return false;
    }
    if (profile.region !== null && !serves(prog.mode, prog.regions, profile.region)) return false;
    var access = prog.access;
    var allowed = access.indexOf("open") >= 0 || access.indexOf("employed") >= 0 ||
      access.some(function (a) { return profile.rights.indexOf(a) >= 0; });
    return allowed && prog.status !== "closed";
  }

  // match.training_blockers is empty: each essential gap closed by short training the person can
  // start, or needed only at 'aware' (learned on the job); personal qualities never need a course
  function shortTrainingCloses(profile, role, levels) {
    for (var i = 0; i < role.essential.length; i++) {
      var need = role.essential[i];
      if (need[2] || (levels[need[0]] || 0) >= need[1]) continue;
      var startable = need[3].some(function (p) { return enterable(profile, DATA.programmes[p]); });
      if (!startable && need[1] > 1) return false;
    }
    return true;
  }

  // match.rank (rank_key) then match_role: level-appropriate first, then band, score, id
  function rank(profile) {
    var levels = credited(profile);
    var out = DATA.roles.map(function (role) {
      var score = round4(exactScore(role.terms, levels));
      var fit = levelFit(profile, role);
      var found = bandFor(score, coreShare(role.terms, levels), fit);
      var direct = found !== DATA.bands[DATA.bands.length - 1][0] && noBlockers(profile, role) &&
        shortTrainingCloses(profile, role, levels);
      return { role: role, score: score, band: found, fit: fit, direct: direct };
    });
    out.sort(function (a, b) {
      var fa = a.fit === "fits" ? 0 : 1, fb = b.fit === "fits" ? 0 : 1;
      if (fa !== fb) return fa - fb;
      var ba = bandIndex(a.band), bb = bandIndex(b.band);
      if (ba !== bb) return ba - bb;
      if (a.score !== b.score) return b.score - a.score;
      return a.role.id < b.role.id ? -1 : a.role.id > b.role.id ? 1 : 0;
    });
    return out;
  }

  // ---- the page: state in the address, results in rank order -------------------------------------

  var BAND_WORDS = { "strong": "a strong fit", "good": "a good fit", "stretch": "a stretch", "not yet": "not a fit yet" };
  var SKILL_LEVELS = { 1: "aware", 2: "practised", 3: "expert" };

  function readState(search) {
    var params = new URLSearchParams(search);
    var state = { from: null, skills: [], level: null, region: null, problems: [] };
    var from = params.get("from");
    if (from) {
      if (Object.prototype.hasOwnProperty.call(DATA.backgrounds, from)) state.from = from;
      else state.problems.push("The background in the address is not one this site knows, so it was left out.");
    }
    params.getAll("skill").forEach(function (value) {
      var parts = value.split(":");
      var level = parts.length > 1 ? Number(parts[1]) : 2;
      if (Object.prototype.hasOwnProperty.call(DATA.skills, parts[0]) && (level === 1 || level === 2 || level === 3)) {
        state.skills.push([parts[0], level]);
      } else {
        state.problems.push("A skill in the address is not one this site knows, so it was left out.");
      }
    });
    var level = params.get("level");
    if (level !== null && level !== "") {
      var n = Number(level);
      if (Number.isInteger(n) && n >= 0 && n <= 8) state.level = n;
      else state.problems.push("The level in the address must be a number from 0 to 8, so it was left out.");
    }
    var region = params.get("region");
    if (region) {
      if (Object.prototype.hasOwnProperty.call(DATA.regions, region)) state.region = region;
      else state.problems.push("The region in the address is not one this site knows, so it was left out.");
    }
    return state;
  }

  function writeState(state) {
    var params = new URLSearchParams();
    if (state.from) params.append("from", state.from);
    state.skills.forEach(function (pair) { params.append("skill", pair[0] + ":" + pair[1]); });
    if (state.level !== null) params.append("level", String(state.level));
    if (state.region) params.append("region", state.region);
    return params.toString();
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text !== undefined) node.textContent = text;  // text only: data never becomes markup
    return node;
  }

  function showSkills(form, state) {
    var list = document.getElementById("skill-list");
    list.textContent = "";
    state.skills.forEach(function (pair, i) {
      var item = el("li");
      item.appendChild(el("span", {}, DATA.skills[pair[0]].name + " (" + SKILL_LEVELS[pair[1]] + ") "));
      var remove = el("button", { type: "button", "data-remove": String(i) }, "Remove");
      remove.setAttribute("aria-label", "Remove " + DATA.skills[pair[0]].name);
      item.appendChild(remove);
      list.appendChild(item);
    });
    document.getElementById("skill-none").hidden = state.skills.length > 0;
  }

  function fillForm(form, state) {
    form.elements.from.value = state.from || "";
    form.elements.level.value = state.level === null ? "" : String(state.level);
    form.elements.region.value = state.region || "";
    showSkills(form, state);
  }

  function showResults(state) {
    var started = performance.now();
    var list = document.getElementById("results");
    var status = document.getElementById("status");
    list.textContent = "";
    if (!state.from && !state.skills.length) {
      status.textContent = "Choose a background or add a skill, then press Show roles.";
      list.dataset.ms = String(performance.now() - started);
      return;
    }
    var profile = buildProfile(state);
    var ranked = rank(profile);
    ranked.forEach(function (found) {
      var item = el("li", { "data-role": found.role.id, "data-band": found.band, "data-direct": String(found.direct) });
      var href = state.from ? "pathways/" + state.from + "/" + found.role.id + ".html" : "roles/" + found.role.id + ".html";
      var link = el("a", { href: href }, found.role.title);
      var heading = el("h3", {});
      heading.appendChild(link);
      item.appendChild(heading);
      var words = "Your skills cover " + Math.round(found.score * 100) + "% of what it asks for: " + BAND_WORDS[found.band] + ". ";
      words += found.direct ? "A direct move." : "Not a direct move yet: it needs a step first (see the pathway).";
      item.appendChild(el("p", {}, words));
      list.appendChild(item);
    });
    var where = state.region ? " Training near you: see the region's page." : "";
    status.textContent = ranked.length + " roles, best fit first." + where;
    var regionLink = document.getElementById("region-link");
    regionLink.hidden = !state.region;
    if (state.region) {
      regionLink.firstElementChild.setAttribute("href", "regions/" + state.region + ".html");
      regionLink.firstElementChild.textContent = "Training and centres in " + DATA.regions[state.region];
    }
    list.dataset.ms = String(performance.now() - started);
  }

  function showProblems(state) {
    var box = document.getElementById("problems");
    box.textContent = "";
    state.problems.forEach(function (text) { box.appendChild(el("p", {}, text)); });
    box.hidden = state.problems.length === 0;
  }

  var api = { readState: readState, buildProfile: buildProfile, rank: rank };

  function start() {
    var form = document.getElementById("check");
    var state;

    // the page from its address: on opening, and after the address changes without a reload
    function refresh() {
      state = readState(window.location.search);
      fillForm(form, state);
      showProblems(state);
      showResults(state);
    }
    refresh();
    api.refresh = refresh;
    window.addEventListener("popstate", refresh);

    function update() {
      var query = writeState(state);
      history.replaceState(null, "", query ? "?" + query : window.location.pathname);
      showResults(state);
    }

    document.getElementById("skill-add").addEventListener("click", function () {
      var sid = form.elements["skill-pick"].value;
      if (!sid) return;
      var level = Number(form.elements["skill-level"].value);
      state.skills = state.skills.filter(function (pair) { return pair[0] !== sid; });
      state.skills.push([sid, level]);
      showSkills(form, state);
      document.getElementById("skill-added").textContent = "Added " + DATA.skills[sid].name + ".";
    });
    document.getElementById("skill-list").addEventListener("click", function (event) {
      var index = event.target.getAttribute("data-remove");
      if (index === null) return;
      var name = DATA.skills[state.skills[Number(index)][0]].name;
      state.skills.splice(Number(index), 1);
      showSkills(form, state);
      document.getElementById("skill-added").textContent = "Removed " + name + ".";
      form.elements["skill-pick"].focus();
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      state.from = form.elements.from.value || null;
      state.level = form.elements.level.value === "" ? null : Number(form.elements.level.value);
      state.region = form.elements.region.value || null;
      state.problems = [];
      showProblems(state);
      update();
      document.getElementById("results-heading").focus();
    });
  }

  // for the equivalence test and the timing script (bench/site.py): the page's own functions
  window.cgtpathsCheck = api;
  start();
})();
