-- The organization's own workflow questions (issue 5): whom each question
-- is asked of, by the element rules' subject names (all_clients, hoh,
-- adults, hoh_and_adults). Questions added before were asked of the head
-- of household. Answers are stored per member in workflow_answers.
ALTER TABLE workflow_questions ADD COLUMN asked_of TEXT NOT NULL DEFAULT 'hoh';

-- A recorded service's note (issue 5 point 6: services are edited with
-- their date, end date, units, amount, provider and note).
ALTER TABLE service_records ADD COLUMN note TEXT;
