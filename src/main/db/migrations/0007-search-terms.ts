import type { Migration } from './types'

/**
 * Case search finds recipients, addresses, IPs, hosts and blocklist names, not only titles, notes and subjects: a
 * "terms" row per evidence in the FTS index, read from the stored analysis with SQLite's JSON functions, so rows
 * written before this migration are indexed too and re-analysed evidence is re-indexed. The unicode61 tokenizer
 * splits "buyer@retailer.example" and "203.0.113.77" into words, and the case search matches them as phrases.
 */
const TERMS = (row: string) => `trim(
  coalesce(json_extract(${row}.analysis, '$.summary.from'), '') || ' ' ||
  coalesce(json_extract(${row}.analysis, '$.summary.to'), '') || ' ' ||
  coalesce((SELECT group_concat(coalesce(json_extract(r.value, '$.recipient'), '') || ' ' ||
                                coalesce(json_extract(r.value, '$.remoteMta'), ''), ' ')
            FROM json_each(${row}.analysis, '$.bounce.recipients') AS r), '') || ' ' ||
  coalesce((SELECT group_concat(json_extract(p.value, '$.value'), ' ')
            FROM json_each(${row}.analysis, '$.parties.sender') AS p), '') || ' ' ||
  coalesce((SELECT group_concat(json_extract(p.value, '$.value'), ' ')
            FROM json_each(${row}.analysis, '$.parties.receiver') AS p), '') || ' ' ||
  coalesce((SELECT group_concat(coalesce(json_extract(l.value, '$.name'), '') || ' ' ||
                                coalesce(json_extract(l.value, '$.target'), ''), ' ')
            FROM json_each(${row}.analysis, '$.verdict.listedOn') AS l), '')
)`

export default {
  id: 7,
  name: 'search-terms',
  up: `
INSERT INTO search_index (case_id, source, ref_id, text)
  SELECT e.case_id, 'terms', e.id, ${TERMS('e')} FROM evidence e WHERE json_valid(e.analysis);
CREATE TRIGGER evidence_terms_ai AFTER INSERT ON evidence WHEN json_valid(new.analysis) BEGIN
  INSERT INTO search_index (case_id, source, ref_id, text) VALUES (new.case_id, 'terms', new.id, ${TERMS('new')});
END;
CREATE TRIGGER evidence_terms_au AFTER UPDATE OF analysis ON evidence WHEN json_valid(new.analysis) BEGIN
  DELETE FROM search_index WHERE source = 'terms' AND ref_id = new.id;
  INSERT INTO search_index (case_id, source, ref_id, text) VALUES (new.case_id, 'terms', new.id, ${TERMS('new')});
END;
CREATE TRIGGER evidence_terms_ad AFTER DELETE ON evidence BEGIN
  DELETE FROM search_index WHERE source = 'terms' AND ref_id = old.id;
END;
`
} satisfies Migration
