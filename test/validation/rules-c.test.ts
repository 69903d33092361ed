// One test per rule code for a third of the tables (see defineRuleTests).
import { defineRuleTests } from './ruleRunner.js';

defineRuleTests('c');
