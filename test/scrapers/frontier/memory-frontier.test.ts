import { MemoryFrontier } from '../../../src/scrapers/frontier/memory-frontier.js';
import { frontierContract } from './frontier.contract.js';

frontierContract('MemoryFrontier', () => new MemoryFrontier());
